using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>A person books on a phone (390×844), step by step; each step is kept as a screenshot.</summary>
[Collection(BrowserCollection.Name)]
public class WebBookingFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Books_an_appointment_on_a_phone()
    {
        var page = await server.NewPageAsync(390, 844);
        await page.GotoAsync("/book");
        await InteractiveAsync(page);
        await Shot(page, "book-1-service.png");

        await page.Locator("[data-service]", new() { HasText = "Trámites y certificados" }).ClickAsync();
        await page.Locator("[data-day]").First.WaitForAsync();
        await Shot(page, "book-2-day.png");

        await page.Locator("[data-day]").Nth(1).ClickAsync(); // tomorrow: a full day of times
        await page.Locator("[data-slot]").First.WaitForAsync();
        await Shot(page, "book-3-slot.png");

        await page.ClickAsync("[data-slot='09:00']");
        await page.SelectOptionAsync("#book-document-type", "CC");
        await page.FillAsync("#book-document", "1020304050");
        await page.FillAsync("#book-phone", "300");
        await page.ClickAsync("[data-action=to-consent]");
        await Expect(page.Locator("#book-fullName-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#book-fullName")).ToBeFocusedAsync();
        await Shot(page, "book-4-intake-errors.png");

        await page.FillAsync("#book-fullName", "María Pérez");
        await page.FillAsync("#book-phone", "300 123 4567");
        await page.Locator("[data-field=tramite] label", new() { HasText = "Paz y salvo" }).ClickAsync();
        await Shot(page, "book-4-intake.png");
        await page.ClickAsync("[data-action=to-consent]");
        await page.Locator("[data-consent=data]").WaitForAsync();
        await page.CheckAsync("[data-consent=data]");
        await Shot(page, "book-5-consent.png");

        // A double tap books once, and its second tap, if it lands once the confirmation has rendered and scrolled to the top,
        // cannot open "Cambiar o cancelar" where the button was: that link takes no taps when it appears, then it does.
        await page.EvaluateAsync("""
            () => new MutationObserver((_, o) => {
                const link = document.querySelector('[data-action=manage]');
                if (link) { window.manageOnArrival = getComputedStyle(link).pointerEvents; o.disconnect(); }
            }).observe(document.body, { childList: true, subtree: true })
            """);
        await page.DblClickAsync("[data-action=book]");
        await Expect(page.Locator("[data-testid=appointment-code]")).ToBeVisibleAsync();
        Assert.Equal("none", await page.EvaluateAsync<string>("window.manageOnArrival"));
        await Expect(page.Locator("[data-action=manage]")).ToHaveCSSAsync("pointer-events", "auto");
        await Shot(page, "book-6-confirmation.png");
        var code = (await page.Locator("[data-testid=appointment-code]").TextContentAsync())!;

        await using var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var booked = await db.Appointments.Where(a => a.Channel == Channel.Web).ToListAsync();
        Assert.Equal(code, Assert.Single(booked).Code);

        await page.ClickAsync("[data-action=manage]");
        await Expect(page.Locator("[data-testid=appointment-status]")).ToHaveTextAsync("Agendada");
        await LiveAsync(page); // /cita has no circuit: its live channel is open
        await Shot(page, "book-7-manage.png");

        var desktop = await server.NewPageAsync(1440, 900);
        await desktop.GotoAsync("/book");
        await InteractiveAsync(desktop);
        await desktop.Locator("[data-service]", new() { HasText = "Asesoría de créditos" }).ClickAsync();
        await desktop.Locator("[data-day]").Nth(1).ClickAsync();
        await desktop.Locator("[data-slot]").First.WaitForAsync();
        await Shot(desktop, "book-3-slot-desktop.png");
    }
}
