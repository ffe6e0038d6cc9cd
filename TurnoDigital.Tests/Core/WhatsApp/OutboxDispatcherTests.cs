using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>The outbox against a fake Graph API on loopback: what is sent, retried, re-sent as a template or failed.</summary>
public class OutboxDispatcherTests : FakeGraphApiTest
{
    const string Ana = "573001112233", Luis = "573104445566";

    async Task<long> EnqueueAsync(string to, MessageKind kind, OutgoingContent content, string? key = null, TimeSpan? ttl = null)
    {
        await using var db = H.Db();
        var m = await Outbox.AddAsync(db, to, kind, key ?? Guid.NewGuid().ToString(), content, Now, ttl);
        await db.SaveChangesAsync();
        return m!.Id;
    }

    async Task WroteRecentlyAsync(string waId, TimeSpan ago)
    {
        await using var db = H.Db();
        db.WhatsAppContacts.Add(new WhatsAppContact { WaId = waId, LastInboundAt = Now - ago, StateUpdatedAt = Now });
        await db.SaveChangesAsync();
    }

    async Task<OutboxMessage> RowAsync(long id)
    {
        await using var db = H.Db();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    JsonObject[] Sent => Api.Requests.Select(r => r.Body).ToArray();

    [Fact]
    public async Task A_reply_inside_the_window_goes_as_interactive_json_with_the_bearer_token_and_records_the_message_id()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(5));
        var id = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("¿Confirma su cita?",
            Buttons: [new Choice("confirm", "Sí, confirmar"), new Choice("back", "Volver"), new Choice("x", "Un título demasiado largo para un botón")]));

        Assert.Equal(1, await Dispatcher.DispatchDueAsync());

        var request = Assert.Single(Api.Requests);
        Assert.Equal($"/{FakeGraphApi.Version}/{FakeGraphApi.PhoneNumberId}/messages", request.Path);
        Assert.Equal($"Bearer {FakeGraphApi.Token}", request.Authorization);
        Assert.Equal("whatsapp", request.Body["messaging_product"]!.GetValue<string>());
        Assert.Equal(Ana, request.Body["to"]!.GetValue<string>());
        Assert.Equal("button", request.Body["interactive"]!["type"]!.GetValue<string>());
        var buttons = request.Body["interactive"]!["action"]!["buttons"]!.AsArray();
        Assert.Equal(3, buttons.Count);
        Assert.All(buttons, b => Assert.True(b!["reply"]!["title"]!.GetValue<string>().Length <= 20));
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal("wamid.FAKE1", row.WaMessageId);
        Assert.False(row.AsTemplate);
    }

    [Fact]
    public async Task A_demo_number_is_never_sent_to_the_Cloud_API_and_its_row_fails_with_the_reason()
    {
        var demo = TurnoDigital.Core.Demo.DemoPeople.Phone(42);
        await WroteRecentlyAsync(Outbox.WaId(demo), TimeSpan.FromMinutes(5));
        var id = await EnqueueAsync(demo, MessageKind.Reply, new OutgoingContent("Hola"));

        await Dispatcher.DispatchDueAsync();

        Assert.Empty(Api.Requests);
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(CloudApiTransport.DemoNumberRefused, row.Error);
        Assert.Null(row.WaMessageId);
    }

    [Fact]
    public async Task Lists_keep_to_ten_rows_and_24_character_titles()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        var rows = Enumerable.Range(1, 12).Select(i => new Choice($"svc:{i}", $"Servicio número {i} con nombre largo", new string('d', 100))).ToList();
        await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("Elija un servicio", Rows: rows, ListButton: "Ver servicios"));
        await Dispatcher.DispatchDueAsync();
        var list = Sent.Single()["interactive"]!;
        Assert.Equal("list", list["type"]!.GetValue<string>());
        var sent = list["action"]!["sections"]![0]!["rows"]!.AsArray();
        Assert.Equal(10, sent.Count);
        Assert.All(sent, r => Assert.True(r!["title"]!.GetValue<string>().Length <= 24 && r["description"]!.GetValue<string>().Length <= 72));
    }

    [Fact]
    public async Task Outside_the_24_hour_window_a_notification_goes_as_its_utility_template_with_parameters_and_button_payloads()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromHours(30));
        await using (var db = H.Db())
        {
            db.MessageTexts.Add(new MessageText { Kind = MessageKind.ReminderDayBefore, Body = "x", TemplateName = "recordatorio_cita", TemplateLanguage = "es_CO" });
            await db.SaveChangesAsync();
        }
        var id = await EnqueueAsync(Ana, MessageKind.ReminderDayBefore, new OutgoingContent("Mañana tiene cita",
            Buttons: [new Choice("appt:9:confirm", "Confirmar"), new Choice("appt:9:cancel", "Cancelar cita")], TemplateParameters: ["Ana", "26/11/2026", "9:00 a. m."]));

        await Dispatcher.DispatchDueAsync();

        var template = Sent.Single()["template"]!;
        Assert.Equal("template", Sent.Single()["type"]!.GetValue<string>());
        Assert.Equal("recordatorio_cita", template["name"]!.GetValue<string>());
        Assert.Equal("es_CO", template["language"]!["code"]!.GetValue<string>());
        var components = template["components"]!.AsArray();
        Assert.Equal(["Ana", "26/11/2026", "9:00 a. m."], components[0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal("appt:9:cancel", components[2]!["parameters"]![0]!["payload"]!.GetValue<string>());
        Assert.True((await RowAsync(id)).AsTemplate);
    }

    [Fact]
    public async Task A_reply_whose_window_closed_is_failed_not_sent()
    {
        var id = await EnqueueAsync(Luis, MessageKind.Reply, new OutgoingContent("Hola"));
        await Dispatcher.DispatchDueAsync();
        Assert.Empty(Api.Requests);
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("24 horas", row.Error);
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff_and_sent_once_it_recovers()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        Api.FailNext(500, 1, "An unknown error occurred");
        var id = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("Hola"));

        await Dispatcher.DispatchDueAsync();
        var pending = await RowAsync(id);
        Assert.Equal(OutboxStatus.Pending, pending.Status);
        Assert.Equal(1, pending.Attempts);
        Assert.True(pending.NextAttemptAt > Now);
        Assert.Equal(0, await Dispatcher.DispatchDueAsync()); // not before its time

        H.Clock.Advance(TimeSpan.FromSeconds(5));
        await Dispatcher.DispatchDueAsync();
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(2, Api.Requests.Count);
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        // The Graph client's timeout is the test's to set per attempt: short while the fake API hangs (it never answers,
        // so the timeout always fires), generous for the retry, so a slow machine never turns the success into a timeout.
        await H.DisposeAsync();
        var timeout = TimeSpan.FromSeconds(1);
        H = await CoreHarness.CreateAsync(Api.Settings(), s => s.AddHttpClient(CloudApiTransport.HttpClientName).ConfigureHttpClient(c => c.Timeout = timeout));
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        Api.HangNext();
        var id = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("Hola"));
        await Dispatcher.DispatchDueAsync();
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("Tiempo de espera", row.Error);
        timeout = TimeSpan.FromMinutes(2);
        H.Clock.Advance(TimeSpan.FromSeconds(5));
        await Dispatcher.DispatchDueAsync();
        Assert.Equal(OutboxStatus.Sent, (await RowAsync(id)).Status);
    }

    [Fact]
    public async Task The_graph_client_times_out_after_the_configured_seconds()
    {
        await H.DisposeAsync();
        var settings = Api.Settings();
        settings["WhatsApp:GraphTimeoutSeconds"] = "7";
        H = await CoreHarness.CreateAsync(settings);
        var client = H.Services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudApiTransport.HttpClientName);
        Assert.Equal(TimeSpan.FromSeconds(7), client.Timeout);
    }

    [Theory]
    [InlineData(429, 130429)]
    [InlineData(400, 131056)]
    public async Task Throughput_and_pair_rate_limits_wait_and_retry(int http, int code)
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        Api.FailNext(http, code, "Rate limit hit");
        var id = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("Hola"));
        await Dispatcher.DispatchDueAsync();
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(code, row.ErrorCode);
        if (code == 131056) Assert.True(row.NextAttemptAt >= Now.AddSeconds(6));
        H.Clock.Advance(TimeSpan.FromSeconds(7));
        await Dispatcher.DispatchDueAsync();
        Assert.Equal(OutboxStatus.Sent, (await RowAsync(id)).Status);
        Assert.Equal(2, Api.Requests.Count);
    }

    [Fact]
    public async Task Error_131047_resends_the_same_row_as_its_template()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromHours(23));
        Api.FailNext(400, 131047, "Re-engagement message");
        var id = await EnqueueAsync(Ana, MessageKind.TurnNear, new OutgoingContent("Faltan 2 turnos", TemplateParameters: ["A-012", "2"]));
        await Dispatcher.DispatchDueAsync();
        await Dispatcher.DispatchDueAsync();
        Assert.Equal(["text", "template"], Sent.Select(b => b["type"]!.GetValue<string>()));
        Assert.Equal("turno_turn_near", Sent[1]["template"]!["name"]!.GetValue<string>());
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.True(row.AsTemplate);
    }

    [Theory]
    [InlineData(131026, "Message undeliverable")]
    [InlineData(132000, "Number of parameters does not match the expected number of params")]
    public async Task Permanent_errors_fail_with_their_reason_and_are_not_retried(int code, string reason)
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        Api.FailNext(400, code, reason);
        var id = await EnqueueAsync(Ana, MessageKind.TicketCalled, new OutgoingContent("Es su turno"));
        await Dispatcher.DispatchDueAsync();
        H.Clock.Advance(TimeSpan.FromMinutes(30));
        await Dispatcher.DispatchDueAsync();
        Assert.Single(Api.Requests);
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(code, row.ErrorCode);
        Assert.Equal(reason, row.Error);
        Assert.NotNull(row.FailedAt);
    }

    [Fact]
    public async Task One_message_per_recipient_per_six_seconds_while_others_go_at_once()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        await WroteRecentlyAsync(Luis, TimeSpan.FromMinutes(1));
        var first = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("uno"));
        var second = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("dos"));
        await EnqueueAsync(Luis, MessageKind.Reply, new OutgoingContent("hola Luis"));

        Assert.Equal(2, await Dispatcher.DispatchDueAsync());
        Assert.Equal(0, await Dispatcher.DispatchDueAsync());
        Assert.Equal(OutboxStatus.Pending, (await RowAsync(second)).Status);
        H.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await Dispatcher.DispatchDueAsync());
        H.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await Dispatcher.DispatchDueAsync());
        // In order: "uno" before "dos".
        var texts = Sent.Select(b => b["text"]!["body"]!.GetValue<string>()).ToList();
        Assert.Equal(["hola Luis", "uno"], texts.Take(2).Order());
        Assert.Equal("dos", texts[2]);
        Assert.True((await RowAsync(first)).SentAt < (await RowAsync(second)).SentAt);
    }

    [Fact]
    public async Task A_late_message_expires_instead_of_going_out()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        var id = await EnqueueAsync(Ana, MessageKind.TurnNear, new OutgoingContent("Su turno está cerca"), ttl: TimeSpan.FromMinutes(10));
        H.Clock.Advance(TimeSpan.FromMinutes(11));
        await Dispatcher.DispatchDueAsync();
        Assert.Empty(Api.Requests);
        Assert.Equal(OutboxStatus.Expired, (await RowAsync(id)).Status);
    }

    [Fact]
    public async Task After_an_opt_out_notifications_are_not_sent_but_the_opt_out_confirmation_is()
    {
        await using (var db = H.Db())
        {
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = Ana, LastInboundAt = Now, OptedOutAt = Now, StateUpdatedAt = Now });
            await db.SaveChangesAsync();
        }
        var reminder = await EnqueueAsync(Ana, MessageKind.ReminderSameDay, new OutgoingContent("Hoy tiene cita"));
        var confirmation = await EnqueueAsync(Ana, MessageKind.OptOutConfirmation, new OutgoingContent("Listo, no le enviaremos más mensajes."));
        await Dispatcher.DispatchDueAsync();
        H.Clock.Advance(TimeSpan.FromSeconds(6));
        await Dispatcher.DispatchDueAsync();
        Assert.Equal(OutboxStatus.Failed, (await RowAsync(reminder)).Status);
        Assert.Equal(OutboxStatus.Sent, (await RowAsync(confirmation)).Status);
        Assert.Single(Api.Requests);
    }

    [Fact]
    public async Task A_row_claimed_by_a_dispatcher_that_died_is_sent_after_its_lease_and_nothing_is_lost()
    {
        await WroteRecentlyAsync(Ana, TimeSpan.FromMinutes(1));
        var id = await EnqueueAsync(Ana, MessageKind.Reply, new OutgoingContent("Hola"));
        await using (var db = H.Db())
            await db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, Now.AddMinutes(2)).SetProperty(m => m.Attempts, 1));
        Assert.Equal(0, await Dispatcher.DispatchDueAsync());
        H.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await Dispatcher.DispatchDueAsync());
        Assert.Equal(OutboxStatus.Sent, (await RowAsync(id)).Status);
        Assert.Single(Api.Requests);
    }

    [Fact]
    public async Task The_same_cause_enqueues_one_message()
    {
        await using var db = H.Db();
        Assert.NotNull(await Outbox.AddAsync(db, "+" + Ana, MessageKind.ReminderDayBefore, "appointment:1:reminder:day-before", new OutgoingContent("a"), Now));
        Assert.Null(await Outbox.AddAsync(db, Ana, MessageKind.ReminderDayBefore, "appointment:1:reminder:day-before", new OutgoingContent("a"), Now));
        await db.SaveChangesAsync();
        await using var again = H.Db();
        Assert.Null(await Outbox.AddAsync(again, Ana, MessageKind.ReminderDayBefore, "appointment:1:reminder:day-before", new OutgoingContent("a"), Now));
        Assert.Equal(Ana, (await again.Outbox.SingleAsync()).To);
    }
}
