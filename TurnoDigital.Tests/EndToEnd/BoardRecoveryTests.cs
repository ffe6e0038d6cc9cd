using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Boards stay on for weeks: after a server restart the page comes back by itself, still paired.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardRecoveryTests : IDisposable
{
    readonly TempDatabase database = new();
    readonly ShiftedClock clock = new(CoreHarness.Start);
    // The test holds the listening socket (bound to port 0) for its whole life and lends each server a duplicate of it:
    // the port is never released between the two servers, so nothing else can take it.
    readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public BoardRecoveryTests()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int dup(int fd);

    TurnoWebFactory StartServer()
    {
        var handle = dup((int)listener.Handle);
        Assert.True(handle >= 0, $"dup failed: {Marshal.GetLastPInvokeError()}");
        var factory = new TurnoWebFactory(database) { Clock = clock };
        factory.UseKestrel(o => o.ListenHandle((ulong)handle));
        factory.StartServer();
        return factory;
    }

    [Fact]
    public async Task Board_reloads_itself_after_a_server_restart_and_stays_paired()
    {
        var first = StartServer();
        var context = await Chromium.NewContextAsync(new() { BaseURL = $"http://{listener.LocalEndPoint}" });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/display");
            await page.FillAsync("#code", TurnoWebFactory.DisplayCode);
            await page.ClickAsync("button[type=submit]");
            await Screens.InteractiveAsync(page);
            await page.EvaluateAsync("() => window.__beforeRestart = true");

            await first.DisposeAsync();
            await Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync(); // the discreet "reconectando" badge

            await using var second = StartServer();
            // A reload (the marker is gone) that lands on the live board again, not on the pairing page.
            await page.WaitForFunctionAsync("() => window.__beforeRestart === undefined && !!document.querySelector('[data-interactive=yes] .board')");
            Assert.EndsWith("/display", page.Url);
            await Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        database.Dispose();
    }
}
