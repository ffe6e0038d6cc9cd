using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>Meta-shaped payloads through the signed ingest and the worker: stored once, statuses forward only, bad parts skipped.</summary>
public class WebhookProcessingTests : IAsyncLifetime
{
    const string Secret = "test-app-secret";
    readonly RecordingBot bot = new();
    CoreHarness h = default!;

    sealed class RecordingBot : IConversationHandler
    {
        public ConcurrentQueue<InboundMessage> Handled { get; } = new();
        public Task HandleAsync(InboundMessage message, CancellationToken ct = default)
        {
            Handled.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync(
        new Dictionary<string, string?> { ["WhatsApp:AppSecret"] = Secret }, s => s.AddSingleton<IConversationHandler>(bot));

    public async Task DisposeAsync() => await h.DisposeAsync();

    WebhookIngest Ingest => h.Services.GetRequiredService<WebhookIngest>();
    WhatsAppWorker Worker => h.Services.GetRequiredService<WhatsAppWorker>();

    static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "WhatsApp", name));

    async Task PostAsync(string json, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.Equal(IngestResult.Stored, await Ingest.AcceptAsync(bytes, signature ?? WebhookSignature.Sign(bytes, Secret)));
    }

    async Task<long> SentMessageAsync(string wamid, OutboxStatus status = OutboxStatus.Sent)
    {
        await using var db = h.Db();
        var m = await Outbox.AddAsync(db, "573001112233", MessageKind.TurnNear, wamid, new OutgoingContent("x"), h.Clock.GetUtcNow().UtcDateTime);
        m!.Status = status;
        m.WaMessageId = wamid;
        await db.SaveChangesAsync();
        return m.Id;
    }

    async Task<OutboxMessage> RowAsync(long id)
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    [Fact]
    public async Task Text_button_and_list_replies_are_stored_and_handed_to_the_bot_in_order()
    {
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        foreach (var f in new[] { "text.json", "button_reply.json", "list_reply.json" }) await PostAsync(Fixture(f));
        await Worker.RunOnceAsync();

        var handled = bot.Handled.ToList();
        Assert.Equal(["text", "interactive", "interactive"], handled.Select(m => m.Type));
        Assert.Equal("Hola, quiero una cita ñandú", handled[0].Text);
        Assert.Equal(("appt:42:confirm", "Confirmar"), (handled[1].ReplyId, handled[1].Text));
        Assert.Equal(("svc:7", "Asesoría de créditos"), (handled[2].ReplyId, handled[2].Text));
        Assert.All(handled, m => Assert.Equal("573001112233", m.From));
        Assert.Equal(CoreHarness.Start.UtcDateTime, handled[0].SentAt);
        await using var db = h.Db();
        Assert.All(await db.InboundMessages.ToListAsync(), m => Assert.NotNull(m.HandledAt));
        Assert.True(await db.WebhookInbox.AllAsync(i => i.ProcessedAt != null && i.Error == null));
        // The 24-hour window opens with the person's last message.
        Assert.Equal(handled[2].SentAt, (await db.WhatsAppContacts.SingleAsync()).LastInboundAt);
    }

    [Fact]
    public async Task With_a_phone_number_id_configured_changes_for_another_number_are_ignored()
    {
        var other = new RecordingBot();
        await using var own = await CoreHarness.CreateAsync(new Dictionary<string, string?>
        {
            ["WhatsApp:AppSecret"] = Secret, ["WhatsApp:PhoneNumberId"] = "109876543210",
        }, s => s.AddSingleton<IConversationHandler>(other));
        var ingest = own.Services.GetRequiredService<WebhookIngest>();
        var at = own.Clock.GetUtcNow().UtcDateTime;
        foreach (var json in new[]
        {
            MetaPayloads.Text("573001112233", "wamid.OURS", "Hola", at, phoneNumberId: "109876543210"),
            MetaPayloads.Text("573001112244", "wamid.THEIRS", "Hola", at, phoneNumberId: "555000111"),
            MetaPayloads.Text("573001112255", "wamid.NOID", "Hola", at),
        })
            Assert.Equal(IngestResult.Stored, await ingest.AcceptSignedAsync(json));
        await own.Services.GetRequiredService<WhatsAppWorker>().RunOnceAsync();

        Assert.Equal(["wamid.OURS"], other.Handled.Select(m => m.WaMessageId));
        await using var db = own.Db();
        Assert.Equal(["573001112233"], await db.InboundMessages.Select(m => m.From).ToListAsync());
        Assert.Equal(3, await db.WebhookInbox.CountAsync(i => i.ProcessedAt != null && i.Error == null));
        Assert.Equal(["573001112233"], await db.WhatsAppContacts.Select(c => c.WaId).ToListAsync());
    }

    [Fact]
    public async Task A_message_delivered_twice_or_twice_at_once_is_acted_on_once()
    {
        await PostAsync(Fixture("text.json"));
        await PostAsync(Fixture("text.json"));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(Fixture("text.json"))));
        await Task.WhenAll(Worker.RunOnceAsync(), Worker.RunOnceAsync());
        await PostAsync(Fixture("text.json"));
        await Worker.RunOnceAsync();

        Assert.Single(bot.Handled);
        await using var db = h.Db();
        Assert.Equal(1, await db.InboundMessages.CountAsync());
        Assert.Equal(7, await db.WebhookInbox.CountAsync(i => i.ProcessedAt != null));
    }

    [Fact]
    public async Task Batched_entries_carry_several_messages_and_statuses()
    {
        var first = await SentMessageAsync("wamid.FAKE1");
        var second = await SentMessageAsync("wamid.FAKE2");
        await PostAsync(Fixture("batched.json"));
        await Worker.RunOnceAsync();
        Assert.Equal(["573001112233", "573104445566"], bot.Handled.Select(m => m.From));
        Assert.Equal(OutboxStatus.Delivered, (await RowAsync(first)).Status);
        var read = await RowAsync(second);
        Assert.Equal(OutboxStatus.Read, read.Status);
        Assert.NotNull(read.DeliveredAt);
    }

    [Fact]
    public async Task Statuses_only_move_forward_even_when_they_arrive_out_of_order()
    {
        var id = await SentMessageAsync("wamid.ORDER");
        var t = CoreHarness.Start.UtcDateTime;
        await PostAsync(MetaPayloads.Status("wamid.ORDER", "573001112233", "read", t.AddSeconds(3)));
        await PostAsync(MetaPayloads.Status("wamid.ORDER", "573001112233", "delivered", t.AddSeconds(2)));
        await PostAsync(MetaPayloads.Status("wamid.ORDER", "573001112233", "sent", t.AddSeconds(1)));
        await Worker.RunOnceAsync();
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Read, row.Status);
        Assert.Equal(t.AddSeconds(3), row.ReadAt);
        Assert.Equal(t.AddSeconds(3), row.DeliveredAt); // read implies delivered; the later receipt does not rewrite it
    }

    [Fact]
    public async Task A_receipt_that_arrives_before_the_send_is_recorded_is_applied_once_it_is()
    {
        await PostAsync(MetaPayloads.Status("wamid.EARLY", "573001112233", "delivered", CoreHarness.Start.UtcDateTime));
        await Worker.RunOnceAsync();
        await using (var db = h.Db())
            Assert.Null((await db.WebhookInbox.SingleAsync()).ProcessedAt); // kept: nothing carries that id yet

        var id = await SentMessageAsync("wamid.EARLY");
        await Worker.RunOnceAsync();
        Assert.Equal(OutboxStatus.Delivered, (await RowAsync(id)).Status);

        // A receipt for a message that never shows up is dropped after the grace period.
        await PostAsync(MetaPayloads.Status("wamid.NEVER", "573001112233", "read", CoreHarness.Start.UtcDateTime));
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        await Worker.RunOnceAsync();
        await using var check = h.Db();
        Assert.False(await check.WebhookInbox.AnyAsync(i => i.ProcessedAt == null));
    }

    [Fact]
    public async Task A_failed_status_is_final_and_keeps_its_reason()
    {
        var id = await SentMessageAsync("wamid.FAKE1");
        await PostAsync(Fixture("statuses_failed.json"));
        await PostAsync(MetaPayloads.Status("wamid.FAKE1", "573001112233", "delivered", CoreHarness.Start.UtcDateTime.AddMinutes(1)));
        await Worker.RunOnceAsync();
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(131026, row.ErrorCode);
        Assert.Contains("may not have WhatsApp", row.Error);
        Assert.Null(row.DeliveredAt);
    }

    [Fact]
    public async Task A_131047_failure_receipt_puts_the_message_back_as_its_template()
    {
        var id = await SentMessageAsync("wamid.WINDOW");
        await PostAsync(Fixture("statuses_failed.json").Replace("wamid.FAKE1", "wamid.WINDOW").Replace("131026", "131047"));
        await Worker.RunOnceAsync();
        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.True(row.AsTemplate);
    }

    [Fact]
    public async Task Unsupported_types_reach_the_bot_with_their_type_so_it_can_answer_politely()
    {
        await PostAsync(Fixture("unsupported.json"));
        await Worker.RunOnceAsync();
        Assert.Equal(["image", "audio", "location", "sticker", "reaction", "unsupported"], bot.Handled.Select(m => m.Type));
        Assert.All(bot.Handled, m => Assert.Null(m.ReplyId));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"id\":\"x\",\"type\":\"text\"}]}}]}]}")]
    public async Task A_malformed_payload_is_logged_and_does_not_stop_the_worker(string body)
    {
        await PostAsync(body);
        await PostAsync(Fixture("text.json"));
        await Worker.RunOnceAsync();
        Assert.Single(bot.Handled);
        await using var db = h.Db();
        var bad = await db.WebhookInbox.OrderBy(i => i.Id).FirstAsync();
        Assert.NotNull(bad.ProcessedAt);
        Assert.NotNull(bad.Error);
    }

    [Fact]
    public async Task A_bot_failure_apologises_and_the_next_message_is_still_handled()
    {
        await using var h2 = await CoreHarness.CreateAsync(new Dictionary<string, string?> { ["WhatsApp:AppSecret"] = Secret },
            s => s.AddSingleton<IConversationHandler>(new ThrowingBot()));
        var ingest = h2.Services.GetRequiredService<WebhookIngest>();
        await ingest.AcceptSignedAsync(Fixture("text.json"));
        await ingest.AcceptSignedAsync(Fixture("button_reply.json"));
        await h2.Services.GetRequiredService<WhatsAppWorker>().RunOnceAsync();
        await using var db = h2.Db();
        Assert.Equal(2, await db.InboundMessages.CountAsync(m => m.HandledAt != null));
        Assert.Equal(2, await db.Outbox.CountAsync(m => m.Kind == MessageKind.Reply && m.DedupeKey.EndsWith(":error")));
    }

    sealed class ThrowingBot : IConversationHandler
    {
        public Task HandleAsync(InboundMessage message, CancellationToken ct = default) => throw new InvalidOperationException("boom");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=zz")]
    [InlineData("md5=0123")]
    public async Task Missing_or_bad_signatures_are_refused_and_nothing_is_stored(string? header)
    {
        var bytes = Encoding.UTF8.GetBytes(Fixture("text.json"));
        Assert.Equal(IngestResult.BadSignature, await Ingest.AcceptAsync(bytes, header));
        Assert.Equal(IngestResult.BadSignature, await Ingest.AcceptAsync(bytes, WebhookSignature.Sign(bytes, "another-secret")));
        await using var db = h.Db();
        Assert.Equal(0, await db.WebhookInbox.CountAsync());
    }

    [Fact]
    public void The_signature_is_over_the_raw_bytes_and_either_hex_case_is_accepted()
    {
        var bytes = Encoding.UTF8.GetBytes(Fixture("text.json"));
        var lower = WebhookSignature.Sign(bytes, Secret);
        Assert.True(WebhookSignature.IsValid(bytes, lower, Secret));
        Assert.True(WebhookSignature.IsValid(bytes, "sha256=" + lower["sha256=".Length..].ToUpperInvariant(), Secret));
        // Re-serialising the JSON (escaping "ñ") changes the bytes and breaks the signature.
        var reserialised = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(bytes).RootElement));
        Assert.False(WebhookSignature.IsValid(reserialised, lower, Secret));
    }
}
