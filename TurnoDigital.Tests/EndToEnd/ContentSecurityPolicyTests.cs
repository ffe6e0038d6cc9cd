using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Every screen under the real CSP in Chromium: no violation reported, the circuit connects, the JS buttons work.</summary>
[Collection(BrowserCollection.Name)]
public class ContentSecurityPolicyTests(LiveServer server) : IClassFixture<LiveServer>
{
    const string ViolationRecorder = """
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    async Task<IPage> PageAsync(int width = 1280, int height = 900)
    {
        var page = await server.NewPageAsync(width, height);
        await page.AddInitScriptAsync(ViolationRecorder);
        return page;
    }

    static async Task NoViolationsAsync(IPage page) =>
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));

    [Fact]
    public async Task Staff_device_and_public_screens_run_without_violations()
    {
        var desk = await PageAsync();
        await desk.GotoAsync("/account/login");
        await NoViolationsAsync(desk);
        await desk.FillAsync("#email", "agente1@demo.turno");
        await desk.FillAsync("#password", TurnoWebFactory.Password);
        await desk.ClickAsync("button[type=submit]");
        await InteractiveAsync(desk);
        await NoViolationsAsync(desk);

        var kiosk = await PageAsync(1080, 1920);
        await kiosk.GotoAsync("/kiosk");
        await kiosk.FillAsync("#code", TurnoWebFactory.KioskCode);
        await kiosk.ClickAsync("button[type=submit]");
        await InteractiveAsync(kiosk);
        // The audio buttons are wired by kiosk.js (no inline onclick).
        await kiosk.ClickAsync("[data-action=audio-listen]");
        await Expect(kiosk.Locator("body.kiosk-audio-on")).ToHaveCountAsync(1);
        await kiosk.ClickAsync("[data-action=audio-stop]");
        await Expect(kiosk.Locator("body.kiosk-audio-on")).ToHaveCountAsync(0);
        await NoViolationsAsync(kiosk);

        var board = await PageAsync(1920, 1080);
        await board.GotoAsync("/display");
        await board.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await board.ClickAsync("button[type=submit]");
        await InteractiveAsync(board);
        await NoViolationsAsync(board);

        var book = await PageAsync(390, 844);
        await book.GotoAsync("/book");
        await InteractiveAsync(book);
        await NoViolationsAsync(book);

        var admin = await PageAsync();
        await admin.GotoAsync("/admin/devices");
        await admin.FillAsync("#email", "admin@demo.turno");
        await admin.FillAsync("#password", TurnoWebFactory.Password);
        await admin.ClickAsync("button[type=submit]");
        await InteractiveAsync(admin);
        await NoViolationsAsync(admin);
    }
}
