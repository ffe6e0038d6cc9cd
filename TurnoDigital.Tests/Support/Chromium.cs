using Microsoft.Playwright;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// Every browser test runs in this one collection: one test at a time against one shared Chromium process
/// (each test in its own context), so a 2-core machine never runs a dozen browsers and servers at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Browser";
}

/// <summary>Debian's Chromium driven by Playwright (no browser download), with one generous default timeout.</summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The one default for every Playwright wait and expectation: generous for a loaded 2-core machine.</summary>
    public const float Patience = 30_000;

    static IBrowser? shared;
    IPlaywright playwright = default!;

    /// <summary>The collection's browser; only tests in <see cref="BrowserCollection"/> may use it.</summary>
    public static IBrowser Browser => shared ?? throw new InvalidOperationException($"Browser tests belong to [Collection({nameof(BrowserCollection)}.{nameof(BrowserCollection.Name)})].");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Patience);
        playwright = await Playwright.CreateAsync();
        shared = await LaunchAsync(playwright);
    }

    /// <summary>Debian's Chromium with this project's flags; the multi-node bed launches its own with it.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Timeout = Patience,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
    });

    /// <summary>A fresh context (own cookies and storage) with the default timeouts applied.</summary>
    public static async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(Patience);
        context.SetDefaultNavigationTimeout(Patience);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (shared is not null) await shared.DisposeAsync();
        shared = null;
        playwright?.Dispose();
    }
}
