// Figures for docs/PERFORMANCE.md, on the SQLite default. Not part of the test run.
//   dotnet run -c Release --project bench/TurnoDigital.Bench [-- tickets|calls|board [calls]|hot [rounds] [tickets]|hot-seq [rounds]|hot-pg [rounds] [tickets]|displays|whatsapp|webhook [rate] [seconds]|dispatch|reports [tickets]|estimator [seed ...]|demo [days]|watchers [n ...]]
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using TurnoDigital.Core;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

var what = args.FirstOrDefault() ?? "all";
// The watchers' and the webhook bench's app, each in its own process (ChildServer).
if (what == "watchers-server") { await WatchersBench.ServeAsync(); return; }
if (what == "webhook-server") { await WhatsAppBench.ServeAsync(args[1]); return; }
Console.WriteLine($"Turno Digital bench · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (what is "all" or "tickets") await Bench.TicketsAsync();
if (what is "all" or "calls") await Bench.CallsAsync();
if (what is "all" or "displays") await Bench.DisplaysAsync();
if (what is "all" or "board") // -- board [calls]: Call next → board beside the template's click → DOM, in Chromium
    await BoardBench.RunAsync(args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).FirstOrDefault(100));
if (what is "all" or "hot") // -- hot [rounds] [tickets]
{
    var n = args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList();
    await HotBench.RunAsync(n.ElementAtOrDefault(0) is > 0 and var r ? r : 3, n.ElementAtOrDefault(1) is > 0 and var t ? t : 2000);
}
if (what == "hot-seq") // -- hot-seq [rounds]: each operation alone, one at a time (wall and CPU per operation)
    await SequentialBench.RunAsync(args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).FirstOrDefault(3));
if (what == "hot-pg") // -- hot-pg [rounds] [tickets]: needs PostgreSQL's server binaries, so not part of "all"
{
    var n = args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList();
    await HotPgBench.RunAsync(n.ElementAtOrDefault(0) is > 0 and var r ? r : 3, n.ElementAtOrDefault(1) is > 0 and var t ? t : 2000);
}
if (what is "all" or "whatsapp" or "webhook") // -- webhook [rate] [seconds]: ingest only
{
    var n = args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList();
    await WhatsAppBench.IngestAsync(n.ElementAtOrDefault(0) is > 0 and var r ? r : 1000, n.ElementAtOrDefault(1) is > 0 and var t ? t : 10);
}
if (what is "all" or "whatsapp" or "dispatch")
{
    await WhatsAppBench.DispatchAsync(perSecond: 20, seconds: 30);
    await WhatsAppBench.DispatchAsync(perSecond: 80, seconds: 15);
}
if (what is "all" or "reports") await ReportBench.RunAsync(args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).FirstOrDefault(100_000));
if (what is "all" or "demo") await DemoBench.RunAsync(args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).FirstOrDefault(30));
if (what is "all" or "watchers") await WatchersBench.RunAsync(args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList());
if (what is "all" or "estimator")
    await EstimatorBench.RunAsync(args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList(), Environment.GetEnvironmentVariable("TURNO_ESTIMATOR_CSV"));

static class Bench
{
    const int Runs = 3;

    sealed class NoNotifier : IQueueNotifier { public void Publish(QueueEvent e) { } }

    /// <param name="configure">Registrations after the app's own (later ones win), e.g. another notifier.</param>
    internal static async Task<(ServiceProvider Services, string Folder)> CoreAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var folder = Directory.CreateTempSubdirectory("turno-bench-").FullName;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "turno.db")}",
            ["Demo:Seed"] = "true", ["Demo:Password"] = "TurnoDemo2026",
        }).AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSingleton<IQueueNotifier, NoNotifier>();
        services.AddTurnoCore(config, folder);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.InitializeTurnoDatabaseAsync();
        return (provider, folder);
    }

    internal static double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }

    /// <summary>Tickets issued per second: 4 kiosks issuing at once, each issue a full transaction with its journey event.</summary>
    public static async Task TicketsAsync()
    {
        var rates = new List<double>();
        for (var run = 0; run < Runs; run++) rates.Add(await HotBench.AppIssueAsync());
        Console.WriteLine($"tickets issued/s (4 concurrent kiosks, 2000 tickets, median of {Runs}): {Median(rates):F0}  runs: {string.Join(", ", rates.Select(r => r.ToString("F0")))}");
    }

    /// <summary>Call next with 20 concurrent agents over 2,000 waiting tickets; each agent closes a ticket before calling the next.</summary>
    public static async Task CallsAsync()
    {
        var rates = new List<double>();
        for (var run = 0; run < Runs; run++) rates.Add(await HotBench.AppCallNextAsync(cycle: true));
        Console.WriteLine($"call next/s (20 concurrent agents, 2000 tickets, each call + start + complete, median of {Runs}): {Median(rates):F0}  runs: {string.Join(", ", rates.Select(r => r.ToString("F0")))}  duplicates: 0");
    }

    // Any type of the web assembly names its entry point (this program has a Program of its own).
    internal sealed class App(IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<TurnoDigital.Web.Live.InProcessQueueNotifier>
    {
        public readonly string Folder = Directory.CreateTempSubdirectory("turno-bench-web-").FullName;
        protected override void ConfigureWebHost(IWebHostBuilder b)
        {
            b.UseEnvironment("Production");
            b.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(Folder, "turno.db")}");
            // Production refuses the demo switch: the demo's data is written explicitly once the app has migrated.
            b.ConfigureServices(s => s.AddHostedService(sp => new SeedDemo(sp)));
            b.UseSetting("Logging:File", Path.Combine(Folder, "logs", "turno-.log"));
            b.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) b.UseSetting(key, value);
        }
    }

    sealed class SeedDemo(IServiceProvider services) : Microsoft.Extensions.Hosting.IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TurnoDigital.Core.Demo.DemoSeeder>().SeedAsync(
                new TurnoDigital.Core.Demo.DemoOptions { Password = "TurnoDemo2026", DisplayPairingCode = "PANTALLA-DEMO" }, ct);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    static long Settle()
    {
        for (var i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        GC.Collect();
        var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    /// <summary>Server memory per open display board: 20 real Chromium boards, working set and managed heap before and after.</summary>
    public static async Task DisplaysAsync()
    {
        const int boards = 20;
        await using var app = new App();
        app.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        app.StartServer();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });

        // Warm up with one board so JIT and first-request costs are not counted per board.
        var warm = await OpenBoardAsync(browser, baseUrl);
        await warm.Context.CloseAsync();
        await Task.Delay(2000);
        var before = Settle();
        var heapBefore = GC.GetTotalMemory(true);
        var pages = new List<IPage>();
        for (var i = 0; i < boards; i++) pages.Add(await OpenBoardAsync(browser, baseUrl));
        await Task.Delay(3000);
        var after = Settle();
        var heapAfter = GC.GetTotalMemory(true);
        Console.WriteLine($"server memory per display board ({boards} Chromium boards): working set {(after - before) / boards / 1024.0:F0} KiB, managed heap {(heapAfter - heapBefore) / boards / 1024.0:F0} KiB  (working set {before / 1048576} MiB → {after / 1048576} MiB)");
        foreach (var p in pages) await p.Context.CloseAsync();
    }

    internal static async Task<IPage> OpenBoardAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/display");
        await page.FillAsync("#code", "PANTALLA-DEMO");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes] .board");
        return page;
    }
}
