using TurnoDigital.Core.Customers;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>
/// A whole booking conversation as Meta would run it: signed webhook POSTs in, the app's real worker,
/// bot and dispatcher, and the Cloud API client sending to a fake Graph API on loopback.
/// </summary>
public sealed class WhatsAppConversationOverHttpTests : IAsyncLifetime
{
    const string Secret = "http-secret", Ana = "573001112299";
    FakeGraphApi graph = default!;
    TurnoWebFactory app = default!;
    HttpClient meta = default!;
    int seen, sequence;

    public async Task InitializeAsync()
    {
        graph = await FakeGraphApi.StartAsync();
        var settings = graph.Settings(Secret).ToDictionary(kv => kv.Key, kv => kv.Value!);
        settings["WhatsApp:SecondsPerRecipient"] = "0";
        app = new TurnoWebFactory { Settings = settings };
        meta = app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await graph.DisposeAsync();
    }

    async Task PostAsync(string json) => Assert.Equal(HttpStatusCode.OK, (await meta.PostWebhookAsync(json, Secret)).StatusCode);

    /// <summary>The next message the Graph API receives for Ana (waits for the condition, up to 20 s).</summary>
    async Task<JsonObject> NextOutboundAsync()
    {
        var watch = Stopwatch.StartNew();
        while (graph.Requests.Count <= seen)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"No reply after {seen} messages.");
            await Task.Delay(50);
        }
        return graph.Requests.ElementAt(seen++).Body;
    }

    static string BodyText(JsonObject m) => (m["text"]?["body"] ?? m["interactive"]?["body"]?["text"])!.GetValue<string>();

    static IEnumerable<(string Id, string Title)> Options(JsonObject m)
    {
        var action = m["interactive"]?["action"];
        var rows = action?["sections"]?.AsArray().SelectMany(s => s!["rows"]!.AsArray()) ?? action?["buttons"]?.AsArray().Select(b => b!["reply"]) ?? [];
        return rows.Select(r => (r!["id"]!.GetValue<string>(), r["title"]!.GetValue<string>()));
    }

    async Task<JsonObject> SayAsync(string text)
    {
        await PostAsync(MetaPayloads.Text(Ana, $"wamid.HTTP{++sequence}", text, app.Clock.GetUtcNow().UtcDateTime, FakeGraphApi.PhoneNumberId));
        return await NextOutboundAsync();
    }

    async Task<JsonObject> TapAsync(JsonObject shown, Func<(string Id, string Title), bool> which)
    {
        var (id, title) = Options(shown).First(which);
        var list = shown["interactive"]!["type"]!.GetValue<string>() == "list";
        await PostAsync(MetaPayloads.Reply(Ana, $"wamid.HTTP{++sequence}", id, title, list, app.Clock.GetUtcNow().UtcDateTime, phoneNumberId: FakeGraphApi.PhoneNumberId));
        return await NextOutboundAsync();
    }

    [Fact]
    public async Task Booking_by_replying_on_WhatsApp_creates_the_appointment_and_every_reply_goes_out_through_the_Cloud_API()
    {
        var menu = await SayAsync("Hola");
        Assert.Equal("list", menu["interactive"]!["type"]!.GetValue<string>());
        var services = await TapAsync(menu, o => o.Title.Contains("Agendar"));
        var days = await TapAsync(services, o => o.Title.Contains("Trámites"));
        var times = await TapAsync(days, _ => true);
        var docType = await TapAsync(times, o => o.Id.StartsWith("slot:"));
        var document = await TapAsync(docType, o => o.Id == "doc:CC");
        Assert.Contains("documento", BodyText(document));
        await SayAsync("1020304050");
        var email = await SayAsync("María Pérez");
        var tramite = await SayAsync("omitir");
        var consent = await TapAsync(tramite, _ => true);
        var summary = await TapAsync(consent, o => o.Id == "consent:yes");
        var done = await TapAsync(summary, o => o.Id == "confirm");

        await using var db = app.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var appointment = await db.Appointments.Include(a => a.Customer).SingleAsync(a => a.Customer!.Phone == PhoneNumber.Parse("+" + Ana));
        Assert.Equal(Channel.WhatsApp, appointment.Channel);
        Assert.Contains(appointment.Code, BodyText(done));
        Assert.Contains("correo", BodyText(email));
        // Every request carried the token and went to our number; each reply row was recorded as sent with Meta's id.
        Assert.All(graph.Requests, r => Assert.Equal($"Bearer {FakeGraphApi.Token}", r.Authorization));
        Assert.All(graph.Requests, r => Assert.Equal(Ana, r.Body["to"]!.GetValue<string>()));
        // The dispatcher records Meta's id after the Graph API answered, so the last reply's row may lag behind its request.
        var watch = Stopwatch.StartNew();
        List<OutboxMessage> replies;
        while ((replies = await db.Outbox.AsNoTracking().Where(m => m.To == Ana && m.Kind == MessageKind.Reply).ToListAsync())
               .Any(m => m.WaMessageId is null) && watch.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50);
        Assert.Equal(seen, replies.Count);
        Assert.All(replies, m => Assert.StartsWith("wamid.FAKE", m.WaMessageId));
        Assert.Equal(sequence, await db.InboundMessages.CountAsync(m => m.From == Ana && m.HandledAt != null));
    }

    [Fact]
    public async Task Taking_a_ticket_on_WhatsApp_creates_a_WhatsApp_ticket_and_the_answer_goes_out_through_the_Cloud_API()
    {
        var menu = await SayAsync("Hola");
        var services = await TapAsync(menu, o => o.Id == "menu:ticket-take");
        Assert.Contains(Options(services), o => o.Title == "Caja");
        var consent = await TapAsync(services, o => o.Title == "Caja");
        var done = await TapAsync(consent, o => o.Id == "consent:yes");

        await using var db = app.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var ticket = await db.Tickets.Include(t => t.Customer).SingleAsync(t => t.Customer!.Phone == PhoneNumber.Parse("+" + Ana));
        Assert.Equal((Channel.WhatsApp, TurnoDigital.Core.Queueing.TicketStatus.Waiting), (ticket.Channel, ticket.Status));
        Assert.Contains($"Su turno es {ticket.Number} para Caja", BodyText(done));
        Assert.Contains($"/t/{ticket.Code}", BodyText(done));
        Assert.All(graph.Requests, r => Assert.Equal(Ana, r.Body["to"]!.GetValue<string>()));
    }
}
