using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Booked on the web, checked in at the kiosk with the document number, called before an earlier walk-in.</summary>
[Collection(BrowserCollection.Name)]
public class AppointmentFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Web_booking_checked_in_at_the_kiosk_is_called_first()
    {
        // An ordinary walk-in ticket for the same service, taken first.
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        await kiosk.Locator("[data-service]", new() { HasText = "Trámites" }).ClickAsync();
        await kiosk.ClickAsync("[data-priority=none]");
        // Trámites asks its intake, one question per screen, by touch only.
        await Expect(kiosk.Locator("[data-doc-type=CC]")).ToBeVisibleAsync();
        await Shot(kiosk, "kiosk-intake-1-document.png");
        await kiosk.ClickAsync("[data-doc-type=CC]");
        await TypeAsync(kiosk, "80123456");
        await kiosk.ClickAsync("[data-action=intake-next]");
        await Expect(kiosk.Locator("[data-intake-field=fullName]")).ToBeVisibleAsync();
        await TypeAsync(kiosk, "JOSE PEREZ");
        await Expect(kiosk.Locator(".kiosk-typed")).ToHaveTextAsync("JOSE PEREZ");
        await Shot(kiosk, "kiosk-intake-2-name.png");
        await kiosk.ClickAsync("[data-action=intake-next]");
        await Expect(kiosk.Locator("[data-intake-field=phone]")).ToBeVisibleAsync();
        await TypeAsync(kiosk, "3115550000");
        await kiosk.ClickAsync("[data-action=intake-next]");
        await Expect(kiosk.Locator("[data-intake-field=email]")).ToBeVisibleAsync();
        await kiosk.ClickAsync("[data-action=intake-skip]");
        await Expect(kiosk.Locator("[data-option='Certificado laboral']")).ToBeVisibleAsync();
        await Shot(kiosk, "kiosk-intake-3-choice.png");
        await kiosk.ClickAsync("[data-option='Certificado laboral']");
        await kiosk.ClickAsync("[data-action=skip-phone]");
        await Expect(kiosk.Locator(".ticket__number")).ToHaveTextAsync("D-001");
        await Expect(kiosk.Locator("body")).Not.ToContainTextAsync("JOSE PEREZ");
        await kiosk.ClickAsync("text=Terminar");

        // The person books on a phone.
        var phone = await server.NewPageAsync(390, 844);
        await phone.GotoAsync("/book");
        await InteractiveAsync(phone);
        await phone.Locator("[data-service]", new() { HasText = "Trámites y certificados" }).ClickAsync();
        await phone.Locator("[data-day]").First.ClickAsync(); // today
        var firstSlot = phone.Locator("[data-slot]").First;
        var slotTime = (await firstSlot.GetAttributeAsync("data-slot"))!;
        await firstSlot.ClickAsync();
        await phone.SelectOptionAsync("#book-document-type", "CC");
        await phone.FillAsync("#book-document", "52998877");
        await phone.FillAsync("#book-fullName", "Lucía Gómez");
        await phone.FillAsync("#book-phone", "310 555 1234");
        await phone.Locator("[data-field=tramite] label", new() { HasText = "Paz y salvo" }).ClickAsync();
        await phone.ClickAsync("[data-action=to-consent]");
        await phone.CheckAsync("[data-consent=data]");
        await phone.ClickAsync("[data-action=book]");
        await Expect(phone.Locator("[data-testid=appointment-code]")).ToBeVisibleAsync();

        // The day goes on until the appointment is due.
        var start = TimeZoneInfo.ConvertTimeToUtc(DateTime.Parse($"2026-11-25 {slotTime}"), TimeZoneInfo.FindSystemTimeZoneById("America/Bogota"));
        server.Clock.Jump(start.AddMinutes(1) - server.Clock.GetUtcNow().UtcDateTime);

        // At the kiosk: "Tengo cita", the document number, a ticket with appointment priority.
        await kiosk.ClickAsync("[data-action=have-appointment]");
        await kiosk.FillAsync("[data-testid=checkin-input]", "52998877");
        await kiosk.ClickAsync("[data-action=find-appointment]");
        await Expect(kiosk.Locator(".ticket__pref")).ToHaveTextAsync("Con cita");
        await Expect(kiosk.Locator(".ticket__number")).ToHaveTextAsync("D-002");
        await Shot(kiosk, "kiosk-5-appointment-ticket.png");

        // The desk calls the appointment before the earlier walk-in, and sees who it is.
        var desk = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 3");
        await Expect(desk.Locator("[data-line]", new() { HasText = "Trámites" }).Locator("[data-testid=waiting-count]")).ToHaveTextAsync("2");
        await desk.ClickAsync("[data-action=call-next]");
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync("D-002");
        await Expect(desk.Locator("[data-testid=visitor]")).ToContainTextAsync("Lucía Gómez");
        await Shot(desk, "desk-3-appointment.png");

        await using var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var appointment = await db.Appointments.SingleAsync(a => a.Customer!.Document!.Number == "52998877");
        Assert.Equal(TurnoDigital.Core.Appointments.AppointmentStatus.CheckedIn, appointment.Status);
        Assert.Equal(TurnoDigital.Core.Common.Channel.Web, appointment.Channel);
    }

    /// <summary>Taps the on-screen keys (keypad or keyboard) for each character.</summary>
    static async Task TypeAsync(Microsoft.Playwright.IPage kiosk, string text)
    {
        foreach (var c in text) await kiosk.ClickAsync($".kiosk-key[aria-label=\"{(c == ' ' ? "Espacio" : c.ToString())}\"]");
    }

    [Fact]
    public async Task An_agent_books_in_person_with_the_same_intake_rules()
    {
        var desk = await server.NewPageAsync(1440, 900);
        await desk.GotoAsync("/citas/nueva");
        await desk.FillAsync("#email", "agente2@demo.turno");
        await desk.FillAsync("#password", TurnoWebFactory.Password);
        await desk.ClickAsync("button[type=submit]");
        await InteractiveAsync(desk);
        await desk.ClickAsync("[data-testid=desk-book-service]");
        await desk.GetByText("Asesoría de créditos · Sede Centro").ClickAsync();
        await desk.GetByLabel("Día").ClickAsync();
        await desk.Locator(".mud-popover-open .mud-list-item").Nth(1).ClickAsync(); // tomorrow
        await desk.GetByLabel("Hora").ClickAsync();
        await desk.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await desk.SelectOptionAsync("#desk-document-type", "CC");
        await desk.FillAsync("#desk-document", "80123456");
        await desk.FillAsync("#desk-fullName", "Jorge Ruiz");
        await desk.FillAsync("#desk-phone", "315 987 6543");

        await desk.ClickAsync("[data-action=desk-book]");
        await Expect(desk.GetByText("política de tratamiento de datos")).ToBeVisibleAsync();
        await desk.GetByText("La persona autorizó el tratamiento de sus datos").ClickAsync();
        await desk.ClickAsync("[data-action=desk-book]");
        await Expect(desk.Locator("#desk-email-error")).ToBeVisibleAsync(); // this service requires an email
        await desk.FillAsync("#desk-email", "jorge@example.co");
        await desk.ClickAsync("[data-action=desk-book]");
        await Expect(desk.Locator("[data-testid=desk-booked]")).ToContainTextAsync("Cita agendada");
        await Shot(desk, "desk-4-book-in-person.png");

        await using var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var a = await db.Appointments.SingleAsync(x => x.Customer!.Document!.Number == "80123456");
        Assert.Equal(TurnoDigital.Core.Common.Channel.InPerson, a.Channel);
        Assert.NotNull((await db.JourneyEvents.SingleAsync(e => e.AppointmentId == a.Id)).ActorId);
    }
}
