using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Localization;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Issue 15 §2: an appointment assigned to an agent checks in at the kiosk, and that agent's desk is told live.</summary>
[Collection(BrowserCollection.Name)]
public class AssignedAgentFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task The_assigned_agents_desk_gets_the_check_in_live_with_the_name_and_time_and_the_other_desk_does_not()
    {
        var services = server.Factory.Services;
        await using var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var tramites = await db.Services.AsNoTracking().Include(s => s.Branch).SingleAsync(s => s.Name == "Trámites y certificados");
        var agent1 = (await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno")).Id;
        var settings = ServiceSettings.From(tramites);
        settings.AgentAssignment = AgentAssignment.AtBooking;
        await services.GetRequiredService<OrganizationAdmin>().UpdateServiceAsync(settings, "admin-1");

        // Booked at the desk for agent 1, for today's first free time.
        var today = BranchTime.LocalDay(server.Clock.GetUtcNow().UtcDateTime, tramites.Branch!.Zone);
        var slot = (await services.GetRequiredService<AvailabilityService>().GetSlotsAsync(tramites.BranchId, tramites.Id, today)).First(s => s.Free > 0);
        await services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(tramites.BranchId, tramites.Id, slot.StartUtc, Channel.InPerson,
            new IntakeInput(DocumentType.CC, "52998811", "Lucía Gómez", "3105551234", "lucia@example.co")
                { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } }, Guid.NewGuid(), DataPolicyAccepted: true,
            AssignedAgentId: agent1));
        server.Clock.Jump(slot.StartUtc.AddMinutes(1) - server.Clock.GetUtcNow().UtcDateTime);

        // Both agents at counters serving the service; the person arrives at the kiosk.
        var desk1 = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 3");
        var desk2 = await DeskAsync(server, "agente2@demo.turno", "Ventanilla 2");
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        await kiosk.ClickAsync("[data-action=have-appointment]");
        await kiosk.FillAsync("[data-testid=checkin-input]", "52998811");
        await kiosk.ClickAsync("[data-action=find-appointment]");
        await Expect(kiosk.Locator(".ticket__pref")).ToHaveTextAsync("Con cita");
        var number = (await kiosk.Locator(".ticket__number").TextContentAsync())!.Trim();

        var alert = desk1.Locator("[data-testid=assigned-arrival]");
        await Expect(alert).ToContainTextAsync("Lucía Gómez");
        await Expect(alert).ToContainTextAsync(Ui.Time(slot.StartLocal));
        await Expect(alert).ToContainTextAsync(number);
        Assert.True(await desk1.EvaluateAsync<int>("() => window.__deskTones || 0") >= 1); // the tone was played
        await Shot(desk1, "desk-assigned-arrival.png");

        // The other desk heard the same arrival (its usual notice) but gets no name.
        await Expect(desk2.GetByText($"Llegó una cita: {number}")).ToBeVisibleAsync();
        await Expect(desk2.Locator("[data-testid=assigned-arrival]")).ToHaveCountAsync(0);
        Assert.Equal(0, await desk2.EvaluateAsync<int>("() => window.__deskTones || 0"));
    }
}
