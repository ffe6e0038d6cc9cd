using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Audio mode for blind people: reads each screen and its choices, can be repeated and stopped, never speaks personal data.</summary>
[Collection(BrowserCollection.Name)]
public class KioskAudioTests(LiveServer server) : IClassFixture<LiveServer>
{
    // Records what the kiosk says instead of speaking it.
    const string SpeechStub = """
        window.__said = []; window.__cancels = 0;
        const voices = [{ lang: 'es-CO', name: 'Stub ES' }, { lang: 'en-US', name: 'Stub EN' }];
        Object.defineProperty(window, 'speechSynthesis', { value: {
            getVoices: () => voices, cancel() { window.__cancels++; },
            speak(u) { window.__said.push({ text: u.text, lang: u.lang }); } } });
        """;

    static Task<string> LastSaidAsync(IPage page) => page.EvaluateAsync<string>("() => window.__said.at(-1)?.text ?? ''");

    static Task SaidAsync(IPage page, string fragment) =>
        page.WaitForFunctionAsync("f => window.__said.some(s => s.text.includes(f))", fragment);

    [Fact]
    public async Task Listen_reads_each_screen_with_numbered_choices_repeats_stops_and_never_reads_the_phone()
    {
        var kiosk = await server.NewPageAsync(1080, 1920);
        await kiosk.AddInitScriptAsync(SpeechStub);
        await kiosk.GotoAsync("/kiosk");
        await kiosk.FillAsync("#code", TurnoWebFactory.KioskCode);
        await kiosk.ClickAsync("button[type=submit]");
        await InteractiveAsync(kiosk);
        await Expect(kiosk.Locator("[data-service]").First).ToBeVisibleAsync();

        await Expect(kiosk.Locator("[data-action=audio-repeat]")).ToBeHiddenAsync();
        await kiosk.ClickAsync("[data-action=audio-listen]");
        await Expect(kiosk.Locator("[data-action=audio-listen]")).ToBeHiddenAsync();
        await Expect(kiosk.Locator("[data-action=audio-stop]")).ToBeVisibleAsync();
        await SaidAsync(kiosk, "¿Qué necesita hoy?");
        var start = await LastSaidAsync(kiosk);
        Assert.Contains("Opción 1: Tengo cita o turno.", start);
        Assert.Contains("Opción 2: Caja.", start);
        Assert.Equal("es-CO", await kiosk.EvaluateAsync<string>("() => window.__said.at(-1).lang"));
        await Shot(kiosk, "kiosk-audio-on.png");

        // A new screen is read by itself.
        await kiosk.Locator("[data-service]", new() { HasText = "Caja" }).ClickAsync();
        await SaidAsync(kiosk, "¿Necesita atención preferencial?");
        Assert.Contains("Opción 2: Persona mayor (60 años o más).", await LastSaidAsync(kiosk));

        // The phone number typed is never spoken.
        await kiosk.ClickAsync("[data-priority=none]");
        await SaidAsync(kiosk, "WhatsApp");
        foreach (var d in "3001234567") await kiosk.ClickAsync($".kiosk-key[aria-label=\"{d}\"]");
        await kiosk.Keyboard.PressAsync("*"); // the keypad key repeats the screen
        await kiosk.WaitForFunctionAsync("() => window.__said.length >= 4");
        var all = await kiosk.EvaluateAsync<string[]>("() => window.__said.map(s => s.text)");
        Assert.All(all, text => Assert.DoesNotContain("300", text));
        Assert.All(all, text => Assert.DoesNotContain("4567", text));

        // Escape interrupts and turns audio off: the next screen is silent.
        var cancels = await kiosk.EvaluateAsync<int>("() => window.__cancels");
        await kiosk.Keyboard.PressAsync("Escape");
        Assert.True(await kiosk.EvaluateAsync<int>("() => window.__cancels") > cancels);
        await Expect(kiosk.Locator("[data-action=audio-listen]")).ToBeVisibleAsync();
        var count = await kiosk.EvaluateAsync<int>("() => window.__said.length");
        await kiosk.ClickAsync("[data-action=skip-phone]");
        await Expect(kiosk.Locator(".ticket__number")).ToBeVisibleAsync();
        Assert.Equal(count, await kiosk.EvaluateAsync<int>("() => window.__said.length"));

        // In English, in an English voice; the ticket number is spelled.
        await kiosk.ClickAsync(".kiosk-lang");
        await kiosk.ClickAsync("[data-action=audio-listen]");
        await SaidAsync(kiosk, "Your ticket");
        Assert.Equal("en-US", await kiosk.EvaluateAsync<string>("() => window.__said.at(-1).lang"));
        Assert.Contains("Ticket A one", await LastSaidAsync(kiosk));
    }
}
