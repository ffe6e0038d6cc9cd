using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Boards stay on for weeks: after a server restart the page comes back by itself, still paired.</summary>
public sealed class BoardRecoveryTests : IAsyncLifetime
{
    readonly TempDatabase database = new();
    readonly int port = FreePort();
    IPlaywright playwright = default!;
    IBrowser browser = default!;

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    TurnoWebFactory StartServer()
    {
        var factory = new TurnoWebFactory(database);
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return factory;
    }

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = LiveServer.ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
    }

    [Fact]
    public async Task Board_reloads_itself_after_a_server_restart_and_stays_paired()
    {
        var first = StartServer();
        var page = await (await browser.NewContextAsync(new() { BaseURL = $"http://127.0.0.1:{port}" })).NewPageAsync();
        await page.GotoAsync("/display");
        await page.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await page.ClickAsync("button[type=submit]");
        await Screens.InteractiveAsync(page);
        await page.EvaluateAsync("() => window.__beforeRestart = true");

        await first.DisposeAsync();
        await Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync(); // the discreet "reconectando" badge

        await using var second = StartServer();
        // A reload (the marker is gone) that lands on the live board again, not on the pairing page.
        await page.WaitForFunctionAsync("() => window.__beforeRestart === undefined && !!document.querySelector('[data-interactive=yes] .board')",
            null, new() { Timeout = 30_000 });
        Assert.EndsWith("/display", page.Url);
        await Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        database.Dispose();
    }
}
