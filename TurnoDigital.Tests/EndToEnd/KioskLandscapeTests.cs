using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>A landscape kiosk (1920×1080) is usable by touch alone: every step's next action is on screen without scrolling.</summary>
[Collection(BrowserCollection.Name)]
public class KioskLandscapeTests(LiveServer server) : IClassFixture<LiveServer>
{
    static async Task OnScreenAsync(IPage page, string selector)
    {
        var box = (await page.Locator(selector).First.BoundingBoxAsync())!;
        Assert.True(box.Y >= 0 && box.Y + box.Height <= 1080, $"{selector} is off screen at y={box.Y}+{box.Height}");
        Assert.True(box.Height >= 80, $"{selector} is only {box.Height}px tall");
    }

    [Fact]
    public async Task Intake_and_appointment_screens_fit_a_landscape_kiosk()
    {
        var kiosk = await PairedKioskAsync(server, 1920, 1080);
        await OnScreenAsync(kiosk, "[data-action=have-appointment]");
        await kiosk.ClickAsync("[data-action=have-appointment]");
        await OnScreenAsync(kiosk, "[data-action=find-appointment]");
        // Each document type: abbreviation and full name, a touch target well above 44×44 px, the name not cut off.
        foreach (var (type, name) in new[] { ("CC", "Cédula de ciudadanía"), ("PPT", "Permiso por protección temporal"), ("RC", "Registro civil") })
        {
            var button = kiosk.Locator($"[data-doc-type={type}]");
            await Expect(button).ToContainTextAsync(name);
            var box = (await button.BoundingBoxAsync())!;
            Assert.True(box.Width >= 44 && box.Height >= 72, $"{type} is {box.Width}×{box.Height}px");
            Assert.True(await button.Locator(".kiosk-doc-type__name").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"),
                $"{type}'s name overflows");
        }
        await Shot(kiosk, "kiosk-appointment-1920x1080.png");
        await kiosk.ClickAsync(".kiosk-back");

        await kiosk.Locator("[data-service]", new() { HasText = "Trámites" }).ClickAsync();
        await kiosk.ClickAsync("[data-priority=none]");
        await OnScreenAsync(kiosk, "[data-doc-type=RC]");
        await Shot(kiosk, "kiosk-intake-1-document-1920x1080.png");
        await kiosk.ClickAsync("[data-doc-type=CC]");
        foreach (var d in "1020304050") await kiosk.ClickAsync($".kiosk-key[aria-label=\"{d}\"]");
        await OnScreenAsync(kiosk, "[data-action=intake-next]");
        await kiosk.ClickAsync("[data-action=intake-next]");
        foreach (var c in "ANA") await kiosk.ClickAsync($".kiosk-key[aria-label=\"{c}\"]");
        await OnScreenAsync(kiosk, "[data-action=intake-next]");
        await Shot(kiosk, "kiosk-intake-2-name-1920x1080.png");
    }
}
