using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>
/// The whole omnichannel flow with no Meta account, in Chromium: book on the simulated phone by tapping the bot's lists and buttons,
/// get the confirmation and a reminder and confirm it, check in at the kiosk, be called at the desk, rate the service.
/// </summary>
[Collection(BrowserCollection.Name)]
public class WhatsAppSimulatorTests(WhatsAppSimulatorTests.Server server) : IClassFixture<WhatsAppSimulatorTests.Server>
{
    /// <summary>
    /// Development, the simulator's home (anywhere else it answers 404), with the shared test organization rather than the demo
    /// switch; no 6-second gap between two messages to the same phone, so the test does not wait for it.
    /// </summary>
    public sealed class Server() : LiveServer(new Dictionary<string, string> { ["WhatsApp:SecondsPerRecipient"] = "0" }, "Development");


    static ILocator Newest(IPage phone) => phone.Locator("[data-testid=bubble-out]").First;

    static async Task ChooseAsync(IPage phone, string choicePrefix)
    {
        await Newest(phone).Locator("[data-action=open-list]").ClickAsync();
        await phone.Locator($".wa-sheet [data-choice^='{choicePrefix}']").First.ClickAsync();
    }

    static async Task SayAsync(IPage phone, string text)
    {
        await phone.FillAsync("[data-testid=wa-input]", text);
        await phone.PressAsync("[data-testid=wa-input]", "Enter");
    }

    [Fact]
    public async Task Book_on_WhatsApp_get_reminded_check_in_at_the_kiosk_be_called_and_rate()
    {
        var phone = await SignedInAsync(server, "/simulator/whatsapp", "admin@demo.turno", 1280, 900);

        await SayAsync(phone, "hola");
        await Expect(Newest(phone)).ToContainTextAsync("asistente virtual");
        await ChooseAsync(phone, "menu:book");
        await Expect(Newest(phone)).ToContainTextAsync("¿Para qué servicio es la cita?");
        await Newest(phone).Locator("[data-action=open-list]").ClickAsync();
        await phone.Locator(".wa-sheet .wa-row", new() { HasText = "Trámites" }).ClickAsync();
        await Expect(Newest(phone)).ToContainTextAsync("Elija el día");
        await ChooseAsync(phone, "day:");
        await Expect(Newest(phone)).ToContainTextAsync("Horarios disponibles");
        await ChooseAsync(phone, "slot:");
        await Expect(Newest(phone)).ToContainTextAsync("tipo de documento");
        await ChooseAsync(phone, "doc:CC");
        await Expect(Newest(phone)).ToContainTextAsync("número de documento");
        await SayAsync(phone, "52998877");
        await Expect(Newest(phone)).ToContainTextAsync("nombre");
        await SayAsync(phone, "Lucía Gómez");
        await Expect(Newest(phone)).ToContainTextAsync("OMITIR");
        await SayAsync(phone, "omitir");
        await Expect(Newest(phone).Locator("[data-action=open-list]")).ToBeVisibleAsync();
        await ChooseAsync(phone, "opt:");
        await Expect(Newest(phone)).ToContainTextAsync("Ley 1581");
        await Newest(phone).Locator("[data-choice='consent:yes']").ClickAsync();
        await Expect(Newest(phone)).ToContainTextAsync("Revise su cita");
        await Newest(phone).Locator("[data-choice=confirm]").ClickAsync();

        // The bot's answer, then the confirmation the notifications write for the booking.
        await Expect(phone.Locator("[data-testid=bubble-out]", new() { HasText = "le enviamos la confirmación" })).ToHaveCountAsync(1);
        string code;
        DateTime start;
        await using (var db = server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            var appointment = await db.Appointments.SingleAsync(a => a.Customer!.Document!.Number == "52998877");
            Assert.Equal(Channel.WhatsApp, appointment.Channel);
            (code, start) = (appointment.Code, appointment.Start);
        }
        await Expect(phone.Locator("[data-testid=bubble-out]", new() { HasText = "Traiga su documento" })).ToContainTextAsync(code);
        // The phone read them: blue ticks came back as "read" receipts through the webhook.
        await Expect(Newest(phone).Locator(".wa-read")).ToBeVisibleAsync();

        await phone.ClickAsync("[data-action=run-reminders]");
        var reminder = phone.Locator("[data-testid=bubble-out]", new() { Has = phone.Locator("[data-choice$=':confirm']") });
        await Expect(reminder.First).ToContainTextAsync(code);
        await Shot(phone, "whatsapp-simulator.png");
        await reminder.First.Locator("[data-choice$=':confirm']").ClickAsync();
        await Expect(phone.Locator("[data-testid=bubble-in]").First).ToContainTextAsync("Confirmar");

        await Expect(Newest(phone)).ToContainTextAsync("Gracias por confirmar"); // the reminder's answer, not the booking's review again

        // The day goes on: 25 minutes before the appointment the person checks in at the kiosk with the document.
        var until = start.AddMinutes(-25) - server.Clock.GetUtcNow().UtcDateTime;
        if (until > TimeSpan.Zero) server.Clock.Jump(until);
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        await kiosk.ClickAsync("[data-action=have-appointment]");
        await kiosk.FillAsync("[data-testid=checkin-input]", "52998877");
        await kiosk.ClickAsync("[data-action=find-appointment]");
        var number = (await kiosk.Locator(".ticket__number").TextContentAsync())!;
        await Expect(phone.Locator("[data-testid=bubble-out]", new() { HasText = number }).First).ToBeVisibleAsync();

        // Called at Ventanilla 3: the phone hears it; served; the rating request comes and is answered with a tap.
        var desk = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 3");
        await desk.ClickAsync("[data-action=call-next]");
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync(number);
        await Expect(Newest(phone)).ToContainTextAsync("Ventanilla 3");
        await desk.ClickAsync("[data-action=start]");
        await desk.ClickAsync("[data-action=complete]");
        await Expect(Newest(phone).Locator("[data-action=open-list]")).ToBeVisibleAsync();
        await ChooseAsync(phone, $"rate:");
        await Expect(Newest(phone)).ToContainTextAsync("Gracias por calificarnos");

        await using var check = server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        Assert.True(await check.Outbox.AnyAsync(m => m.Kind == MessageKind.AppointmentConfirmation && m.Status >= OutboxStatus.Sent));
        Assert.True(await check.Outbox.AnyAsync(m => (m.Kind == MessageKind.ReminderDayBefore || m.Kind == MessageKind.ReminderSameDay) && m.Status >= OutboxStatus.Sent));
        Assert.True(await check.Outbox.AnyAsync(m => m.Kind == MessageKind.TicketCalled && m.Status >= OutboxStatus.Sent));
        var ticket = await check.Tickets.SingleAsync(t => t.Number == number && t.AppointmentId != null);
        Assert.NotNull(ticket.Rating);
        Assert.True(await check.JourneyEvents.AnyAsync(e => e.Kind == TurnoDigital.Core.Journeys.JourneyEventKind.ServiceRated && e.Channel == Channel.WhatsApp));

        // The phone under the real CSP: it exists only in Development, so ContentSecurityPolicyTests (Testing) sees its 404 page.
        await phone.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        await phone.ReloadAsync();
        await InteractiveAsync(phone);
        await Expect(Newest(phone)).ToContainTextAsync("Gracias por calificarnos");
        Assert.Empty(await phone.EvaluateAsync<string[]>("() => window.__csp"));
    }
}
