using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Kiosk → desk → display in three real browser windows, as a newcomer would try it.</summary>
[Collection(BrowserCollection.Name)]
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
        // Read while the ticket is on screen: the kiosk goes back to its start screen after a while, and a loaded machine may take that long.
        var ticketUrl = (await kiosk.Locator(".ticket__qr").GetAttributeAsync("src"))!;
        Assert.StartsWith("data:image/png", ticketUrl);
        await Expect(board.Locator("[data-service]", new() { HasText = "Caja" }).Locator(".board__waiting")).ToHaveTextAsync("1");

        var desk = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 1");
        await Expect(desk.Locator("[data-line]").First.Locator("[data-testid=waiting-count]")).ToHaveTextAsync("1");
        await Shot(desk, "desk-1-lines.png");
        await desk.Keyboard.PressAsync("F2"); // the desk shortcut for "Llamar siguiente"
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync(number);

        // The board shows the call and says it, spelled for speech (how fast is measured in bench/, not here).
        await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(number);
        await Expect(board.Locator(".board__call--now .board__counter")).ToHaveTextAsync("Ventanilla 1");
        var spokenNumber = TurnoDigital.Web.Localization.Speech.Call(number, "Ventanilla 1");
        await board.WaitForFunctionAsync("t => window.__spoken.includes(t)", spokenNumber);
        Assert.DoesNotContain("300", await board.Locator(".board").InnerTextAsync());
        await Shot(desk, "desk-2-called.png");
        // The board's screenshots come from BoardCallsTests (several calls, after the highlight).

        // The agent serves the ticket and finishes.
        await desk.ClickAsync("[data-action=start]");
        await Expect(desk.Locator("[data-testid=current-status]")).ToHaveTextAsync("En atención");
        await desk.ClickAsync("[data-action=complete]");
        await Expect(desk.Locator("[data-action=call-next]")).ToBeVisibleAsync();
    }
}
