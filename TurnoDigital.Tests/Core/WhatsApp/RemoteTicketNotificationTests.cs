using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Conversation;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>WhatsApp messages of remote tickets: the web ticket's confirmation and "confirm you are here" when near.</summary>
public class RemoteTicketNotificationTests : IAsyncLifetime
{
    const string Tramites = "Trámites y certificados";
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    WhatsAppOptions Options => h.Services.GetRequiredService<IOptionsMonitor<WhatsAppOptions>>().CurrentValue;

    static IntakeInput Person(string doc, string phone) =>
        new(DocumentType.CC, doc, "Ana María Ríos", phone, null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });

    async Task<TicketStatusView> RemoteAsync(string service, string doc, string phone, Channel channel = Channel.Web)
    {
        var s = await h.ServiceAsync(service);
        return await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(s.BranchId, s.Id, channel, Guid.NewGuid(), phone, true, true,
            service == Tramites ? Person(doc, phone) : null));
    }

    async Task<List<OutboxMessage>> OutboxAsync(MessageKind kind)
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == kind).OrderBy(m => m.Id).ToListAsync();
    }

    async Task<Ticket> CallAsync(string counter, string agent) => (await h.Queue.CallNextAsync((await h.CounterAsync(counter)).Id, agent))!;

    [Fact]
    public async Task A_web_remote_ticket_with_consent_gets_the_confirmation_with_what_to_do_on_arrival()
    {
        var tramites = await RemoteAsync(Tramites, "1020304050", "3001234567");
        var caja = await RemoteAsync("Caja", "", "3109998877");
        await RemoteAsync("Caja", "", "3151112233", Channel.WhatsApp); // the bot answered that one itself

        var confirmations = await OutboxAsync(MessageKind.TicketConfirmation);
        Assert.Equal([$"ticket:{tramites.Code}:confirmation", $"ticket:{caja.Code}:confirmation"], confirmations.Select(m => m.DedupeKey));
        var waiting = Outbox.Deserialize(confirmations[0].Content);
        Assert.Equal("573001234567", confirmations[0].To);
        Assert.Contains("Su turno es D-001 para Trámites y certificados en Sede Centro.", waiting.Text);
        Assert.Contains($"confirme su llegada en el kiosco («Tengo cita o turno») con su documento o este código: {tramites.Code}", waiting.Text);
        // Outside the 24-hour window the template carries it as its last parameter.
        Assert.Equal(BotTexts.ArrivalInstruction(tramites.Code), waiting.TemplateParameters![^1]);
        Assert.Contains(BotTexts.LiveAtOnceInstruction, Outbox.Deserialize(confirmations[1].Content).Text);
    }

    [Fact]
    public async Task Confirm_arrival_is_sent_once_when_near_and_an_arrived_ticket_hears_turn_near_instead()
    {
        (Options.TurnNearPeopleAhead, Options.TurnNearMinutes) = (1, 0);
        await h.IssueAsync(Tramites, intake: Person("111", "3201111111"));
        await h.IssueAsync(Tramites, intake: Person("222", "3202222222"));
        await h.IssueAsync(Tramites, intake: Person("333", "3203333333"));
        var away = await RemoteAsync(Tramites, "1020304050", "3001234567");
        var here = await RemoteAsync(Tramites, "5060708090", "3109998877");
        Assert.Equal(3, away.PeopleAhead);
        await h.Queue.ConfirmArrivalAsync(here.BranchId, here.Code, Channel.Kiosk); // arrives early: an ordinary waiting ticket now

        var first = await CallAsync("Ventanilla 2", "agent-2"); // 2 ahead of each: not near
        Assert.Empty(await OutboxAsync(MessageKind.ConfirmArrival));

        await CallAsync("Ventanilla 3", "agent-3"); // 1 ahead: near
        var confirm = Assert.Single(await OutboxAsync(MessageKind.ConfirmArrival));
        Assert.Equal(($"ticket:{away.Code}:confirm-arrival", "573001234567", OutboxStatus.Pending), (confirm.DedupeKey, confirm.To, confirm.Status));
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), confirm.ExpiresAt);
        var text = Outbox.Deserialize(confirm.Content).Text;
        Assert.Contains("Su turno D-004 (Trámites y certificados) está cerca. Personas antes de usted: 1", text);
        Assert.Contains($"con su documento o el código {away.Code}", text);
        Assert.Contains($"/t/{away.Code}", text);
        var near = Assert.Single(await OutboxAsync(MessageKind.TurnNear));
        Assert.Equal($"ticket:{here.Code}:near", near.DedupeKey);

        // Nearer still: not again.
        var started = await h.Queue.StartAsync(first.Id, first.Version, "agent-2");
        await h.Queue.CompleteAsync(started.Id, started.Version, "agent-2", null);
        await CallAsync("Ventanilla 2", "agent-2");
        Assert.Single(await OutboxAsync(MessageKind.ConfirmArrival));
    }
}
