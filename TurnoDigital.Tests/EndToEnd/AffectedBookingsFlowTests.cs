using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>An admin lengthens a service's slots: the affected bookings are shown first, cancelled on request, and /cita says so.</summary>
[Collection(BrowserCollection.Name)]
public class AffectedBookingsFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Longer_slots_show_the_affected_bookings_and_the_person_sees_cancelled_by_the_branch()
    {
        var services = server.Factory.Services;
        int branchId, asesoriaId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            (branchId, asesoriaId) = await db.Services.Where(s => s.Name == "Asesoría de créditos").Select(s => new ValueTuple<int, int>(s.BranchId, s.Id)).SingleAsync();
        // Two bookings tomorrow off a 45-minute grid from 07:00 (e.g. 07:30, 08:00): one with WhatsApp consent, one without.
        var slots = (await services.GetRequiredService<AvailabilityService>().GetSlotsAsync(branchId, asesoriaId, server.Factory.Today.AddDays(1)))
            .Where(s => s.Free > 0 && (s.StartLocal.Hour * 60 + s.StartLocal.Minute - 420) % 45 != 0).Take(2).ToList();
        var booking = services.GetRequiredService<BookingService>();
        var codes = new List<string>();
        for (var i = 0; i < 2; i++)
            codes.Add((await booking.BookAsync(new BookingRequest(branchId, asesoriaId, slots[i].StartUtc, Channel.Web,
                new IntakeInput(DocumentType.CC, $"7070{i}", i == 0 ? "Ana Ríos" : "Luis Mora", $"310707070{i}", "p@example.co"), Guid.NewGuid(),
                DataPolicyAccepted: true, WhatsAppConsent: i == 0))).Code);

        var page = await Screens.SignedInAsync(server, "/admin/services", "admin@demo.turno");
        await page.Locator("tr", new() { HasText = "Asesoría de créditos" }).Locator("[data-action=edit-service]").ClickAsync();
        var slot = page.GetByLabel("Duración de la cita (min)");
        await slot.FillAsync("45");
        await slot.PressAsync("Tab");
        await page.ClickAsync("[data-action=save-service]");

        var rows = page.Locator("[data-testid=affected-row]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync(codes[0]);
        await Expect(rows.First).ToContainTextAsync("WhatsApp");
        await Expect(rows.Last).ToContainTextAsync("Lista para llamar");
        await Screens.Shot(page, "admin-affected-bookings.png");

        await page.GetByText("Cancelar las citas y avisar a las personas").ClickAsync();
        await page.ClickAsync("[data-action=apply-decision]");
        await Expect(page.Locator("[data-action=apply-decision]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-action=save-service]")).ToHaveCountAsync(0);

        var person = await server.NewPageAsync(412, 915);
        await person.GotoAsync(PublicLinks.Appointment(codes[0]));
        await Expect(person.Locator("[data-testid=appointment-status]")).ToHaveTextAsync("Cancelada por la sede");
        await Expect(person.Locator("[data-action=reschedule]")).ToBeVisibleAsync();
    }
}
