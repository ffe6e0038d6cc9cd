// Issue 17 §2: Call next on a desk → the display board showing the number, in Chromium, beside a bare Blazor Server
// template's click → DOM round trip (bench/BlazorTemplate) measured in the same run, in alternating blocks.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

static class BoardBench
{
    const int Block = 10;

    // Both pages stamp what they see with the same clock as the click (performance.timeOrigin + now: the machine's time, sub-ms).
    const string Now = "performance.timeOrigin + performance.now()";
    const string WatchBoard = $$"""
        () => { window.__seen = {};
          new MutationObserver(() => { const t = {{Now}};
            document.querySelectorAll('.board__recent li[data-ticket]').forEach(li => { if (!(li.dataset.ticket in window.__seen)) window.__seen[li.dataset.ticket] = t; });
          }).observe(document.body, { childList: true, subtree: true, characterData: true }); }
        """;
    const string WatchCounter = $$"""
        () => { window.__at = {};
          new MutationObserver(() => { const t = {{Now}}; const m = document.querySelector('p[role=status]').textContent.match(/\d+/);
            if (m && !(m[0] in window.__at)) window.__at[m[0]] = t; }).observe(document.body, { childList: true, subtree: true, characterData: true }); }
        """;
    static string Click(string selector) => $"() => {{ const t = {Now}; document.querySelector('{selector}').click(); return t; }}";

    public static async Task RunAsync(int calls)
    {
        var template = await TemplateAsync();
        try
        {
            await using var app = new Bench.App(new Dictionary<string, string> { ["RateLimits:SignIn:PermitLimit"] = "1000" });
            app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            app.StartServer();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await IssueAsync(app.Services, calls + Block);
            // When the server published the last call, on the pages' clock (Unix ms; calls run one at a time): where the time goes.
            var published = 0.0;
            using var follow = app.Services.GetRequiredService<IQueueEventSource>().Subscribe(await BranchAsync(app.Services), e =>
            {
                if (e.Kind == QueueEventKind.TicketCalled) Volatile.Write(ref published, (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds);
                return Task.CompletedTask;
            });

            using var pw = await Playwright.CreateAsync();
            await using var browser = await pw.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
            var board = await Bench.OpenBoardAsync(browser, baseUrl);
            await board.EvaluateAsync(WatchBoard);

            var desk = await PageAsync(browser, baseUrl);
            await desk.GotoAsync("/desk");
            await desk.FillAsync("#email", "agente1@demo.turno");
            await desk.FillAsync("#password", "TurnoDemo2026");
            await desk.ClickAsync("button[type=submit]");
            await desk.WaitForSelectorAsync("[data-interactive=yes]");
            await desk.ClickAsync("[data-counter='Ventanilla 1']");
            await desk.WaitForSelectorAsync("[data-action=call-next]");

            var counter = await PageAsync(browser, template.Url);
            await counter.GotoAsync("/counter");
            await counter.EvaluateAsync(WatchCounter);
            var clicks = 0;
            // Interactive once a click changes the count (the circuit may connect after the first paint).
            while (true)
            {
                await counter.EvaluateAsync(Click("button.btn-primary"));
                try { await counter.WaitForFunctionAsync("n => document.querySelector('p[role=status]').textContent.includes(n)", $"{clicks + 1}", new() { Timeout = 1000 }); break; }
                catch (TimeoutException) { await counter.ReloadAsync(); await counter.EvaluateAsync(WatchCounter); clicks = 0; }
            }
            clicks = 1;

            async Task<(double Shown, double Published)> CallAsync()
            {
                var t0 = await desk.EvaluateAsync<double>(Click("[data-action=call-next]"));
                var number = (await desk.Locator("[data-testid=current-number]").TextContentAsync())!.Trim();
                var shown = await (await board.WaitForFunctionAsync("n => window.__seen[n]", number)).JsonValueAsync<double>();
                var publishedAt = Volatile.Read(ref published);
                await desk.ClickAsync("[data-action=start]");
                await desk.ClickAsync("[data-action=complete]");
                await desk.WaitForSelectorAsync("[data-action=call-next]");
                return (shown - t0, publishedAt - t0);
            }
            async Task<double> ClickAsync()
            {
                var t0 = await counter.EvaluateAsync<double>(Click("button.btn-primary"));
                clicks++;
                return await (await counter.WaitForFunctionAsync("n => window.__at[n]", $"{clicks}")).JsonValueAsync<double>() - t0;
            }

            // Warm-up (JIT, first renders), then alternating blocks so both see the same load.
            for (var i = 0; i < Block; i++) { await CallAsync(); await ClickAsync(); }
            var (appTimes, toEvent, templateTimes) = (new List<double>(), new List<double>(), new List<double>());
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            for (var done = 0; done < calls; done += Block)
            {
                for (var i = 0; i < Block; i++)
                {
                    var (shown, publishedAfter) = await CallAsync();
                    appTimes.Add(shown);
                    toEvent.Add(publishedAfter);
                }
                for (var i = 0; i < Block; i++) templateTimes.Add(await ClickAsync());
            }
            // The branch's shared views read afresh, as the board's refresh after each event does (after the run: same data).
            var (views, viewTimes, branchId) = (app.Services.GetRequiredService<QueueViewCache>(), new List<double>(), await BranchAsync(app.Services));
            for (var i = 0; i < 20; i++)
            {
                app.Services.GetRequiredService<IQueueNotifier>().Publish(new(branchId, QueueEventKind.Resync));
                var started = Stopwatch.GetTimestamp();
                await views.GetAsync(branchId);
                viewTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            string P(List<double> xs) => $"p50 {Pct(xs, 50):F1} ms, p95 {Pct(xs, 95):F1} ms, p99 {Pct(xs, 99):F1} ms";
            Console.WriteLine($"Call next → board ({appTimes.Count} calls, Release, Production, Chromium): {P(appTimes)}");
            Console.WriteLine($"  of which click → the call published on the server: {P(toEvent)}");
            Console.WriteLine($"  the board's views read afresh ({viewTimes.Count} reads after the run): {P(viewTimes)}");
            Console.WriteLine($"bare Blazor Server template click → DOM ({templateTimes.Count} clicks, Release, Development): {P(templateTimes)}");
            Console.WriteLine($"p95 ratio {Pct(appTimes, 95) / Pct(templateTimes, 95):F2}× (target ≤ 4×) · load average {load} → {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        }
        finally
        {
            template.Process.Kill(entireProcessTree: true);
        }
    }

    static double Pct(List<double> xs, int p)
    {
        var s = xs.Order().ToList();
        return s[Math.Min(s.Count - 1, (int)Math.Ceiling(p / 100.0 * s.Count) - 1)];
    }

    static async Task<IPage> PageAsync(IBrowser browser, string baseUrl) =>
        await (await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1440, Height = 900 } })).NewPageAsync();

    /// <summary>Tickets for the desk to call: Caja, the first service of Ventanilla 1.</summary>
    static async Task IssueAsync(IServiceProvider services, int n)
    {
        var (branchId, serviceId) = await CajaAsync(services);
        var queue = services.GetRequiredService<QueueService>();
        for (var i = 0; i < n; i++) await queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid()));
    }

    static async Task<(int BranchId, int ServiceId)> CajaAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        return await db.Services.Where(s => s.Name == "Caja").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
    }

    static async Task<int> BranchAsync(IServiceProvider services) => (await CajaAsync(services)).BranchId;

    /// <summary>bench/BlazorTemplate in its own process (Release, Development so its static assets come from the build), on a free loopback port.</summary>
    static async Task<(Process Process, string Url)> TemplateAsync()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "bench", "BlazorTemplate"))) dir = dir.Parent;
        var project = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("bench/BlazorTemplate"), "bench", "BlazorTemplate");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        var start = new ProcessStartInfo("dotnet", ["run", "-c", "Release", "--no-launch-profile", "--project", project, "--urls", url])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"template: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(3) && !process.HasExited; await Task.Delay(250))
        {
            try { if ((await http.GetAsync(url + "/counter")).IsSuccessStatusCode) return (process, url); }
            catch (HttpRequestException) { } // not listening yet
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"bench/BlazorTemplate did not answer on {url}");
    }
}
