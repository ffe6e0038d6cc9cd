using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.Support;

/// <summary>Steps a person takes on the screens, shared by the end-to-end tests.</summary>
public static class Screens
{
    /// <summary>Waits until the page's circuit is live, so a tap is never lost on the prerendered page.</summary>
    public static Task InteractiveAsync(IPage page) => Expect(page.Locator("[data-interactive=yes]")).ToHaveCountAsync(1);

    /// <summary>A public phone page (/t, /fila: no circuit) has its live channel open.</summary>
    public static Task LiveAsync(IPage page) => Expect(page.Locator("[data-live=open]")).ToHaveCountAsync(1);

    public static Task Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = LiveServer.ScreenshotPath(name) });

    public static async Task<IPage> PairedKioskAsync(LiveServer server, int width, int height)
    {
        var kiosk = await server.NewPageAsync(width, height);
        await kiosk.GotoAsync("/kiosk");
        await Expect(kiosk.GetByRole(AriaRole.Heading, new() { Name = "Emparejar este kiosco" })).ToBeVisibleAsync();
        await kiosk.FillAsync("#code", TurnoWebFactory.KioskCode);
        await kiosk.ClickAsync("button[type=submit]");
        await Expect(kiosk.Locator("[data-service]").First).ToBeVisibleAsync();
        await InteractiveAsync(kiosk);
        return kiosk;
    }

    public static async Task<string> TakeTicketAsync(IPage kiosk, string suffix)
    {
        await Shot(kiosk, $"kiosk-1-service{suffix}.png");
        await kiosk.Locator("[data-service]", new() { HasText = "Caja" }).ClickAsync();
        await Expect(kiosk.Locator("[data-priority=none]")).ToBeVisibleAsync();
        await Shot(kiosk, $"kiosk-2-priority{suffix}.png");
        await kiosk.ClickAsync("[data-priority=none]");
        await Expect(kiosk.Locator(".kiosk-keypad")).ToBeVisibleAsync();
        foreach (var d in "3001234567") await kiosk.ClickAsync($".kiosk-key[aria-label=\"{d}\"]");
        await kiosk.CheckAsync(".kiosk-consent input");
        await Shot(kiosk, $"kiosk-3-whatsapp{suffix}.png");
        await kiosk.ClickAsync("[data-action=with-phone]");
        await Expect(kiosk.Locator(".ticket__number")).ToBeVisibleAsync();
        await Shot(kiosk, $"kiosk-4-ticket{suffix}.png");
        return (await kiosk.Locator(".ticket__number").TextContentAsync())!;
    }

    /// <summary>Opens a staff page through the login it redirects to, and waits until that page (not the login) is live.</summary>
    public static async Task<IPage> SignedInAsync(LiveServer server, string path, string email, int width = 1440, int height = 900)
    {
        var page = await server.NewPageAsync(width, height);
        await page.GotoAsync(path);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", TurnoWebFactory.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**" + path);
        await InteractiveAsync(page);
        return page;
    }

    public static async Task<IPage> DeskAsync(LiveServer server, string agent, string counter)
    {
        var desk = await SignedInAsync(server, "/desk", agent);
        await desk.ClickAsync($"[data-counter='{counter}']");
        await Expect(desk.Locator("[data-line]").First).ToBeVisibleAsync();
        return desk;
    }
}
