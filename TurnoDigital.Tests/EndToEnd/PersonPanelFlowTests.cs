using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Issue 15 §1 in the browser: the agent opens the person panel of the ticket just called, at a full-HD desk.</summary>
[Collection(BrowserCollection.Name)]
public class PersonPanelFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    T Get<T>() where T : notnull => server.Factory.Services.GetRequiredService<T>();

    static IntakeInput Lucia(string tramite) => new(DocumentType.CC, "52776655", "Lucía Gómez", "3105551234", null,
        new Dictionary<string, string?> { ["tramite"] = tramite });

    [Fact]
    public async Task The_agent_opens_the_person_panel_and_sees_intake_conversation_reminders_and_earlier_visits()
    {
        var queue = Get<QueueService>();
        await using var db = await Get<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var tramites = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Trámites y certificados");
        var v3 = await db.Counters.Where(c => c.Name == "Ventanilla 3").Select(c => c.Id).SingleAsync();

        // An earlier visit, served with a note and rated 4.
        await queue.IssueAsync(new IssueTicketRequest(tramites.BranchId, tramites.Id, Channel.Kiosk, Guid.NewGuid(), Intake: Lucia("Paz y salvo"), DataPolicyAccepted: true));
        var first = (await queue.CallNextAsync(v3, "agent-x"))!;
        first = await queue.StartAsync(first.Id, first.Version, "agent-x");
        await queue.CompleteAsync(first.Id, first.Version, "agent-x", "Le faltó el certificado de la EPS");
        var now = server.Clock.GetUtcNow().UtcDateTime;
        (await db.Tickets.SingleAsync(t => t.Id == first.Id)).Rate(4, Channel.WhatsApp, now);

        // Her WhatsApp conversation and reminders.
        const string wa = "573105551234";
        string[] said = ["Hola, quiero un certificado", "Sí, mañana a las 9", "¿Qué documentos llevo?"];
        for (var i = 0; i < said.Length; i++)
        {
            db.InboundMessages.Add(new InboundMessage { WaMessageId = $"wamid.e2e{i}", From = wa, Type = "text", Text = said[i],
                SentAt = now.AddMinutes(-50 + i * 10), ReceivedAt = now.AddMinutes(-50 + i * 10), HandledAt = now }); // answered already: the bot leaves them alone
            db.Outbox.Add(new OutboxMessage { DedupeKey = $"e2e-reply{i}", To = wa, Kind = MessageKind.Reply, Status = OutboxStatus.Read, CreatedAt = now.AddMinutes(-49 + i * 10),
                NextAttemptAt = now, SentAt = now.AddMinutes(-49 + i * 10), Content = Outbox.Serialize(new OutgoingContent($"Respuesta del asistente {i + 1}")) });
        }
        db.Outbox.Add(new OutboxMessage { DedupeKey = "e2e-reminder", To = wa, Kind = MessageKind.ReminderSameDay, Status = OutboxStatus.Delivered, CreatedAt = now.AddMinutes(-20),
            NextAttemptAt = now, SentAt = now.AddMinutes(-20), DeliveredAt = now.AddMinutes(-19), BranchId = tramites.BranchId, Content = Outbox.Serialize(new OutgoingContent("Le recordamos su turno de hoy")) });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "e2e-failed", To = wa, Kind = MessageKind.ReminderDayBefore, Status = OutboxStatus.Failed, CreatedAt = now.AddMinutes(-15),
            NextAttemptAt = now, FailedAt = now.AddMinutes(-15), ErrorCode = 131026, Error = "Message undeliverable", BranchId = tramites.BranchId,
            Content = Outbox.Serialize(new OutgoingContent("Mañana tiene cita")) });
        await db.SaveChangesAsync();

        // Today she comes back for another procedure.
        var today = await queue.IssueAsync(new IssueTicketRequest(tramites.BranchId, tramites.Id, Channel.Kiosk, Guid.NewGuid(), Intake: Lucia("Certificado laboral"), DataPolicyAccepted: true));
        var desk = await SignedInAsync(server, "/desk", "agente1@demo.turno", 1920, 1080);
        await desk.ClickAsync("[data-counter='Ventanilla 3']");
        await desk.ClickAsync("[data-action=call-next]");
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync(today.Number);
        await Expect(desk.Locator("[data-testid=person-panel-body]")).ToHaveCountAsync(0); // collapsed

        await desk.ClickAsync("[data-action=person-panel]");
        await Expect(desk.Locator("[data-testid=person-intake]")).ToContainTextAsync("Certificado laboral");
        await Expect(desk.Locator("[data-testid=person-chat] [data-direction=in]").First).ToContainTextAsync("¿Qué documentos llevo?");
        await Expect(desk.Locator("[data-testid=person-chat]")).ToContainTextAsync("Respuesta del asistente 3");
        await Expect(desk.Locator("[data-testid=person-reminders]")).ToContainTextAsync("131026 · Message undeliverable");
        await Expect(desk.Locator("[data-testid=person-visits]")).ToContainTextAsync("Le faltó el certificado de la EPS");
        await Expect(desk.Locator("[data-testid=person-visits]")).ToContainTextAsync("4/5");
        await Shot(desk, "desk-person-panel.png");
        await desk.ScreenshotAsync(new() { Path = LiveServer.ScreenshotPath("desk-person-panel-full.png"), FullPage = true });
    }
}
