using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>
/// A person manages an appointment on a phone (390×844) at /cita without a circuit: moves it, sees a change made elsewhere
/// live, cancels it; another one checks in and the page shows its ticket live. Each step is kept as a screenshot.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ManageAppointmentFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Manages_an_appointment_on_a_phone_without_a_circuit()
    {
        var services = server.Factory.Services;
        int branchId, serviceId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            (branchId, serviceId) = await db.Services.Where(s => s.Name == "Asesoría de créditos").Select(s => new ValueTuple<int, int>(s.BranchId, s.Id)).SingleAsync();
        var availability = services.GetRequiredService<AvailabilityService>();
        var booking = services.GetRequiredService<BookingService>();
        async Task<AppointmentView> BookAsync(DateOnly day, int person) => await booking.BookAsync(new BookingRequest(branchId, serviceId,
            (await availability.GetSlotsAsync(branchId, serviceId, day)).First(s => s.Free > 0).StartUtc, Channel.Web,
            new IntakeInput(DocumentType.CC, $"8080{person}", "Ana Ríos", $"310808080{person}", "p@example.co"), Guid.NewGuid(), DataPolicyAccepted: true));
        var appointment = await BookAsync(server.Factory.Today.AddDays(1), 1);

        var page = await server.NewPageAsync(390, 844);
        // No circuit: no Blazor WebSocket nor any request to Blazor's hub on any step.
        var blazor = new System.Collections.Concurrent.ConcurrentBag<string>();
        page.WebSocket += (_, ws) => blazor.Add(ws.Url);
        page.Request += (_, r) => { if (r.Url.Contains("_blazor")) blazor.Add(r.Url); };
        await page.GotoAsync(PublicLinks.Appointment(appointment.Code));
        await LiveAsync(page);
        await Expect(page.Locator("[data-testid=appointment-status]")).ToHaveTextAsync("Agendada");
        await Shot(page, "cita-1-phone.png");

        await page.ClickAsync("[data-action=reschedule]");
        await Expect(page.Locator("[data-day]").First).ToBeVisibleAsync();
        await Shot(page, "cita-2-day-phone.png");
        await page.Locator("[data-day]").Nth(2).ClickAsync();
        await Expect(page.Locator("[data-slot]").First).ToBeVisibleAsync();
        await Shot(page, "cita-3-time-phone.png");
        await page.Locator("[data-slot]").Nth(1).ClickAsync();
        await Expect(page.Locator("[data-testid=new-when]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-action=confirm-reschedule]");
        await Expect(page.Locator("[data-testid=manage-notice]")).ToContainTextAsync("Listo. Su cita quedó para el");
        await LiveAsync(page);
        await Shot(page, "cita-4-rescheduled-phone.png");
        Assert.NotEqual(appointment.StartUtc, (await booking.GetAsync(appointment.Code))!.StartUtc);

        // Moved elsewhere (WhatsApp): the open page shows the new time by itself.
        var shown = await page.Locator("[data-testid=appointment-when]").TextContentAsync();
        var other = (await availability.GetSlotsAsync(branchId, serviceId, server.Factory.Today.AddDays(4))).First(s => s.Free > 0);
        await booking.RescheduleAsync(appointment.Code, other.StartUtc, Channel.WhatsApp);
        await Expect(page.Locator("[data-testid=appointment-when]")).Not.ToHaveTextAsync(shown!);

        await page.ClickAsync("[data-action=cancel]");
        await Expect(page.Locator("[data-action=confirm-cancel]")).ToBeVisibleAsync();
        await Shot(page, "cita-5-cancel-phone.png");
        await page.ClickAsync("[data-action=confirm-cancel]");
        await Expect(page.Locator("[data-testid=manage-notice]")).ToHaveTextAsync("Su cita fue cancelada.");
        await Expect(page.Locator("[data-testid=appointment-status]")).ToHaveTextAsync("Cancelada");
        Assert.Equal(AppointmentStatus.Cancelled, (await booking.GetAsync(appointment.Code))!.Status);

        // Today's appointment: once its check-in opens, the kiosk checks it in and the open page shows the ticket.
        var today = await BookAsync(server.Factory.Today, 2);
        var opens = today.StartUtc.AddMinutes(-20) - server.Clock.GetUtcNow().UtcDateTime;
        if (opens > TimeSpan.Zero) server.Clock.Jump(opens);
        await page.GotoAsync(PublicLinks.Appointment(today.Code));
        await LiveAsync(page);
        var checkIn = await services.GetRequiredService<CheckInService>().CheckInAsync(today.Id, Channel.Kiosk);
        Assert.Equal(CheckInOutcome.CheckedIn, checkIn.Outcome);
        await Expect(page.Locator("[data-testid=ticket-status]")).ToHaveTextAsync("En espera");
        await Expect(page.Locator("[data-testid=appointment-ticket]")).ToContainTextAsync(checkIn.Ticket!.Number);
        await Shot(page, "cita-6-checked-in-phone.png");

        Assert.Empty(blazor);
        Assert.Equal("no", await page.Locator(".public-page").GetAttributeAsync("data-interactive"));
    }
}
