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

/// <summary>The in-app phone in Chromium: book by tapping the bot's lists and buttons, get the confirmation and a reminder, confirm it.</summary>
public class WhatsAppSimulatorTests(WhatsAppSimulatorTests.Server server) : IClassFixture<WhatsAppSimulatorTests.Server>
{
    /// <summary>No 6-second gap between two messages to the same phone, so the test does not wait for it.</summary>
    public sealed class Server() : LiveServer(new Dictionary<string, string> { ["WhatsApp:SecondsPerRecipient"] = "0" });

    // A reply crosses the worker, the bot, the dispatcher and the page's one-second poll; on a loaded machine the first one takes a while.
    static readonly LocatorAssertionsToContainTextOptions Patient = new() { Timeout = 20_000 };

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
    public async Task Booking_on_the_simulated_phone_gets_a_confirmation_and_a_reminder_that_can_be_confirmed()
    {
        var phone = await server.NewPageAsync(1280, 900);
        await phone.GotoAsync("/simulator/whatsapp");
        await phone.FillAsync("#email", "admin@demo.turno");
        await phone.FillAsync("#password", TurnoWebFactory.Password);
        await phone.ClickAsync("button[type=submit]");
        // The login page is interactive too: wait for the simulator itself before typing (a key on the prerendered page is lost).
        await phone.WaitForURLAsync("**/simulator/whatsapp");
        await Expect(phone.Locator("[data-testid=wa-chat]")).ToBeVisibleAsync();
        await InteractiveAsync(phone);

        await SayAsync(phone, "hola");
        await Expect(Newest(phone)).ToContainTextAsync("asistente virtual", Patient);
        await ChooseAsync(phone, "menu:book");
        await Expect(Newest(phone)).ToContainTextAsync("¿Para qué servicio es la cita?", Patient);
        await Newest(phone).Locator("[data-action=open-list]").ClickAsync();
        await phone.Locator(".wa-sheet .wa-row", new() { HasText = "Trámites" }).ClickAsync();
        await Expect(Newest(phone)).ToContainTextAsync("Elija el día", Patient);
        await ChooseAsync(phone, "day:");
        await Expect(Newest(phone)).ToContainTextAsync("Horarios disponibles", Patient);
        await ChooseAsync(phone, "slot:");
        await Expect(Newest(phone)).ToContainTextAsync("tipo de documento", Patient);
        await ChooseAsync(phone, "doc:CC");
        await Expect(Newest(phone)).ToContainTextAsync("número de documento", Patient);
        await SayAsync(phone, "52998877");
        await Expect(Newest(phone)).ToContainTextAsync("nombre", Patient);
        await SayAsync(phone, "Lucía Gómez");
        await Expect(Newest(phone)).ToContainTextAsync("OMITIR", Patient);
        await SayAsync(phone, "omitir");
        await Expect(Newest(phone).Locator("[data-action=open-list]")).ToBeVisibleAsync();
        await ChooseAsync(phone, "opt:");
        await Expect(Newest(phone)).ToContainTextAsync("Ley 1581", Patient);
        await Newest(phone).Locator("[data-choice='consent:yes']").ClickAsync();
        await Expect(Newest(phone)).ToContainTextAsync("Revise su cita", Patient);
        await Newest(phone).Locator("[data-choice=confirm]").ClickAsync();

        // The bot's answer, then the confirmation the notifications write for the booking.
        await Expect(phone.Locator("[data-testid=bubble-out]", new() { HasText = "le enviamos la confirmación" })).ToHaveCountAsync(1);
        string code;
        await using (var db = server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            var appointment = await db.Appointments.SingleAsync(a => a.Customer!.DocumentNumber == "52998877");
            Assert.Equal(Channel.WhatsApp, appointment.Channel);
            code = appointment.Code;
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

        await using var check = server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        await Expect(Newest(phone)).Not.ToContainTextAsync("Revise su cita");
        Assert.True(await check.Outbox.AnyAsync(m => m.Kind == MessageKind.AppointmentConfirmation && m.Status >= OutboxStatus.Sent));
        Assert.True(await check.Outbox.AnyAsync(m => (m.Kind == MessageKind.ReminderDayBefore || m.Kind == MessageKind.ReminderSameDay) && m.Status >= OutboxStatus.Sent));
    }
}
