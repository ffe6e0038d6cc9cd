using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// The app on a loopback port (bound to port 0, the address read back from the server) with the shifted test clock;
/// pages come from the browser collection's shared Chromium, each in its own context.
/// </summary>
public class LiveServer : IAsyncLifetime
{
    public const string ChromiumPath = Chromium.ExecutablePath;
    readonly List<IBrowserContext> contexts = [];
    public TurnoWebFactory Factory { get; }
    public ShiftedClock Clock => Factory.Clock;

    public LiveServer() : this(new Dictionary<string, string>()) { }

    /// <summary>
    /// A server with extra settings (and another environment, e.g. Development for the simulator), for a fixture that derives from this one;
    /// <paramref name="sharedOrganization"/> false starts from an empty organisation, as a new installation does.
    /// </summary>
    protected LiveServer(IReadOnlyDictionary<string, string> settings, string environment = "Testing", bool sharedOrganization = true) =>
        Factory = new TurnoWebFactory { Settings = settings, Environment = environment, SharedOrganization = sharedOrganization };
    public string BaseUrl { get; private set; } = "";

    public Task InitializeAsync()
    {
        Factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Public links (the kiosk's QR, WhatsApp messages) point at this server: its port is known only now.
        var config = (IConfigurationRoot)Factory.Services.GetRequiredService<IConfiguration>();
        config["WhatsApp:PublicBaseUrl"] = BaseUrl;
        config.Reload();
        return Task.CompletedTask;
    }

    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = BaseUrl, Locale = "es-CO",
        });
        lock (contexts) contexts.Add(context);
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
        foreach (var context in contexts) await context.CloseAsync();
        await Factory.DisposeAsync();
    }
}
