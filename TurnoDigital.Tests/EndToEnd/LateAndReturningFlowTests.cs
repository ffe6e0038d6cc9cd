using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Issue 14 §3 at the desk: a late appointment checked in as an exception with its reason, and a no-show reactivated.</summary>
[Collection(BrowserCollection.Name)]
public class LateAndReturningFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    T Get<T>() where T : notnull => server.Factory.Services.GetRequiredService<T>();

    [Fact]
    public async Task The_desk_checks_in_a_late_appointment_with_a_reason_and_reactivates_a_no_show()
    {
        // A Trámites appointment in an hour; the clock then runs 20 minutes past its start (tolerance 15).
        var now = server.Clock.GetUtcNow().UtcDateTime;
        var tramites = await ServiceAsync("Trámites y certificados");
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(2);
        var booked = await Get<BookingService>().BookAsync(new BookingRequest(tramites.BranchId, tramites.Id, start, Channel.Web,
            new IntakeInput(DocumentType.CC, "52776655", "Lucía Gómez", "3105551234", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }),
            Guid.NewGuid(), DataPolicyAccepted: true));
        server.Clock.Jump(start.AddMinutes(20) - server.Clock.GetUtcNow().UtcDateTime);

        // A Caja ticket called twice with nobody coming: absent.
        var caja = await ServiceAsync("Caja");
        var issued = await Get<QueueService>().IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid()));
        var v1 = await CounterIdAsync("Ventanilla 1");
        var t = (await Get<QueueService>().CallNextAsync(v1, "agent-x"))!;
        t = await Get<QueueService>().RecallAsync(t.Id, t.Version, "agent-x");
        await Get<QueueService>().NoShowAsync(t.Id, t.Version, "agent-x");

        var desk = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 3");
        await desk.Locator("input[data-testid=desk-checkin-input], [data-testid=desk-checkin-input] input").First.FillAsync("52.776.655");
        await desk.ClickAsync("[data-action=desk-find-appointment]");
        await desk.ClickAsync("[data-action=desk-check-in]");
        await Expect(desk.Locator("[data-testid=desk-late-checkin]")).ToBeVisibleAsync();
        await desk.ClickAsync("[data-action=desk-late-check-in]"); // no reason yet
        await Expect(desk.Locator("[data-testid=desk-checkin-message]")).ToContainTextAsync("escriba el motivo");
        await desk.Locator("input[data-testid=desk-late-reason], [data-testid=desk-late-reason] input").First.FillAsync("Cita médica se alargó");
        await Shot(desk, "desk-late-check-in.png");
        await desk.ClickAsync("[data-action=desk-late-check-in]");
        await Expect(desk.Locator("[data-testid=desk-checkin-message]")).ToContainTextAsync("D-001");

        await Expect(desk.Locator($"[data-no-show='{issued.Number}']")).ToBeVisibleAsync();
        await Shot(desk, "desk-no-shows.png");
        await desk.Locator($"[data-no-show='{issued.Number}'] [data-action=reactivate]").ClickAsync();
        await Expect(desk.Locator("[data-testid=no-shows-message]")).ToContainTextAsync($"Turno {issued.Number} reactivado");

        // The kiosk asks the document type next to the keypad.
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        await kiosk.ClickAsync("[data-action=have-appointment]");
        await kiosk.ClickAsync(".kiosk-doc-types [data-doc-type=TI]");
        await Expect(kiosk.Locator(".kiosk-doc-types [data-doc-type=TI]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Shot(kiosk, "kiosk-checkin-document-type.png");

        await using var db = await Get<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        Assert.Equal(AppointmentStatus.CheckedIn, (await db.Appointments.SingleAsync(a => a.Id == booked.Id)).Status);
        Assert.Equal(TicketStatus.Waiting, (await db.Tickets.SingleAsync(x => x.Code == issued.Code)).Status);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.AppointmentLateCheckIn));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.TicketReactivated));
    }

    async Task<TurnoDigital.Core.Organization.Service> ServiceAsync(string name)
    {
        await using var db = await Get<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        return await db.Services.AsNoTracking().SingleAsync(s => s.Name == name);
    }

    async Task<int> CounterIdAsync(string name)
    {
        await using var db = await Get<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        return await db.Counters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }
}
