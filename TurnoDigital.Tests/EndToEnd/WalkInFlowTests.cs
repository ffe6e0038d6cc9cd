using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Kiosk → desk → display in three real browser windows, as a newcomer would try it.</summary>
public class WalkInFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    // Replaces speech synthesis with a recorder, so the test can read what the board says.
    const string SpeechStub = """
        window.__spoken = [];
        const voice = { lang: 'es-CO', name: 'Stub', default: true, localService: true, voiceURI: 'stub' };
        Object.defineProperty(window, 'speechSynthesis', { value: {
            getVoices: () => [voice], cancel() {}, onvoiceschanged: null,
            speak(u) { window.__spoken.push(u.text); setTimeout(() => u.onend && u.onend(), 10); } } });
        """;

    /// <summary>Waits until the page's circuit is live, so a tap is never lost on the prerendered page.</summary>
    public static Task InteractiveAsync(IPage page) => Expect(page.Locator("[data-interactive=yes]")).ToHaveCountAsync(1);

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

    [Fact]
    public async Task Kiosk_ticket_is_called_at_the_desk_and_announced_on_the_board()
    {
        var board = await server.NewPageAsync(1920, 1080);
        await board.AddInitScriptAsync(SpeechStub);
        await board.GotoAsync("/display");
        await board.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await board.ClickAsync("button[type=submit]");
        await InteractiveAsync(board);
        await Expect(board.GetByText("Espere su llamado")).ToBeVisibleAsync();

        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        var number = await TakeTicketAsync(kiosk, "");
        Assert.Matches("^A-\\d{3}$", number);
        await Expect(board.Locator("[data-service]", new() { HasText = "Caja" }).Locator(".board__waiting")).ToHaveTextAsync("1");

        var desk = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 1");
        await Expect(desk.Locator("[data-line]").First.Locator("[data-testid=waiting-count]")).ToHaveTextAsync("1");
        await Shot(desk, "desk-1-lines.png");
        await desk.ClickAsync("[data-action=call-next]");
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync(number);

        // The board shows the call within two seconds and says it, spelled for speech.
        await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(number, new() { Timeout = 2000 });
        await Expect(board.Locator(".board__call--now .board__counter")).ToHaveTextAsync("Ventanilla 1");
        var spokenNumber = TurnoDigital.Web.Localization.Speech.Call(number, "Ventanilla 1");
        await board.WaitForFunctionAsync("t => window.__spoken.includes(t)", spokenNumber);
        Assert.DoesNotContain("300", await board.Locator(".board").InnerTextAsync());
        await Shot(desk, "desk-2-called.png");
        await Shot(board, "display-1920x1080.png");

        // The ticket's status page follows it live.
        var ticketUrl = (await kiosk.Locator(".ticket__qr").GetAttributeAsync("src"))!;
        Assert.StartsWith("data:image/png", ticketUrl);
        await desk.ClickAsync("[data-action=start]");
        await Expect(desk.Locator("[data-testid=current-status]")).ToHaveTextAsync("En atención");
        await desk.ClickAsync("[data-action=complete]");
        await Expect(desk.Locator("[data-action=call-next]")).ToBeVisibleAsync();
    }

    public static async Task<IPage> DeskAsync(LiveServer server, string agent, string counter)
    {
        var desk = await server.NewPageAsync(1440, 900);
        await desk.GotoAsync("/desk");
        await desk.FillAsync("#email", agent);
        await desk.FillAsync("#password", TurnoWebFactory.Password);
        await desk.ClickAsync("button[type=submit]");
        await InteractiveAsync(desk);
        await desk.ClickAsync($"[data-counter='{counter}']");
        await Expect(desk.Locator("[data-line]").First).ToBeVisibleAsync();
        return desk;
    }
}
