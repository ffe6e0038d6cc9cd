using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace TurnoDigital.Tests.Support;

/// <summary>The app on a loopback port and Debian's Chromium driven by Playwright (no browser download).</summary>
public class LiveServer : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public ShiftedClock Clock { get; } = new(CoreHarness.Start);
    public TurnoWebFactory Factory { get; }

    public LiveServer() : this(new Dictionary<string, string>()) { }

    /// <summary>A server with extra settings, for a fixture that derives from this one.</summary>
    protected LiveServer(IReadOnlyDictionary<string, string> settings)
    {
        // A port known before start, so the public links (the kiosk's QR, WhatsApp messages) point at this server.
        port = FreePort();
        Factory = new TurnoWebFactory
        {
            ConfigureTestServices = s => s.AddSingleton<TimeProvider>(Clock),
            Settings = new Dictionary<string, string>(settings) { ["WhatsApp:PublicBaseUrl"] = $"http://127.0.0.1:{port}" },
        };
    }

    readonly int port;
    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = BaseUrl, Locale = "es-CO",
        });
        return await context.NewPageAsync();
    }

    /// <summary>docs/screenshots in the repository, so the README shows today's screens.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TurnoDigital.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Factory.DisposeAsync();
    }
}
