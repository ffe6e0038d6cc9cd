using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

/// <summary>
/// N concurrent /t watchers on their Server-Sent Events channel (plain HttpClient, as EventSource does), a call every second.
/// The app runs in a child process of its own (this program with "watchers-server"), so its memory and CPU are the server's
/// alone: RSS after a full GC before and after the watchers connect (÷ N), CPU from /proc/&lt;pid&gt;/stat during the calls, and
/// the latency from each call's start to each watcher receiving its new state (p50/p95/p99 over all (call, watcher) pairs).
/// The parent and child talk over the child's stdin/stdout; timestamps are Stopwatch's (CLOCK_MONOTONIC, system-wide).
/// </summary>
static class WatchersBench
{
    const int Calls = 20, Spare = 50; // the first tickets are called during the run; watchers follow later ones
    const string Tag = ChildServer.Tag;

    public static async Task RunAsync(IReadOnlyList<int> counts)
    {
        RaiseOpenFileLimit();
        foreach (var n in counts.Count > 0 ? counts : [1000, 10000]) await MeasureAsync(n);
    }

    static async Task MeasureAsync(int n)
    {
        using var server = new ChildServer("watchers-server");
        var url = await server.AskAsync("url");
        var codes = (await server.AskAsync($"issue {n + Spare}")).Split(',');
        var viewsMs = await server.AskAsync("views");
        var rssBefore = long.Parse(await server.AskAsync("gc"));

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var watchers = codes.Skip(Spare).Take(n).Select(c => new Watcher(c)).ToList();
        var sw = Stopwatch.StartNew();
        var running = new List<Task>();
        foreach (var batch in watchers.Chunk(200))
        {
            running.AddRange(batch.Select(w => w.RunAsync(http, stop.Token)));
            await Task.WhenAll(batch.Select(w => w.FirstState.Task));
        }
        var connectSeconds = sw.Elapsed.TotalSeconds;
        await Task.Delay(2000);
        var rssAfter = long.Parse(await server.AskAsync("gc"));

        var cpuBefore = server.CpuSeconds();
        var wall = Stopwatch.StartNew();
        var calls = new List<long>();
        for (var i = 0; i < Calls; i++)
        {
            var next = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            calls.Add(long.Parse(await server.AskAsync("call")));
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }
        // Until every watcher has heard the last call (or 30 s more).
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (watchers.Any(w => w.Ahead > w.FirstAhead - Calls) && Stopwatch.GetTimestamp() < deadline) await Task.Delay(200);
        var cpu = (server.CpuSeconds() - cpuBefore) / wall.Elapsed.TotalSeconds;

        var latencies = new List<double>();
        var anyAfter = new List<double>(); // the measure before 2026-11-30 12:00 UTC: the first event after the call, whatever it shows
        var missing = 0;
        foreach (var w in watchers)
        {
            // Call i moves every watcher up to FirstAhead - (i + 1): the first event that shows that place answers it (a late
            // event of the call before does not count).
            var received = w.Received();
            for (var i = 0; i < calls.Count; i++)
            {
                var at = received.FirstOrDefault(r => r.Ahead <= w.FirstAhead - (i + 1)).At;
                if (at == 0) missing++;
                else latencies.Add((at - calls[i]) * 1000.0 / Stopwatch.Frequency);
                if (received.FirstOrDefault(r => r.At >= calls[i]).At is var next and > 0) anyAfter.Add((next - calls[i]) * 1000.0 / Stopwatch.Frequency);
            }
        }
        latencies.Sort();
        anyAfter.Sort();
        double P(double q, List<double>? of = null) => (of ??= latencies).Count == 0 ? double.NaN : of[Math.Min(of.Count - 1, (int)(q * of.Count))];
        Console.WriteLine($"/t watchers: {n} (connected in {connectSeconds:F1} s), {Calls} calls 1/s · server RSS {rssBefore / 1048576} MiB → {rssAfter / 1048576} MiB: "
            + $"{(rssAfter - rssBefore) / (double)n / 1024:F1} KiB/watcher (target ≤ 50) · server CPU during calls {cpu * 100:F0} % of one core "
            + $"({Environment.ProcessorCount} cores) · call → watcher latency over {latencies.Count} pairs: p50 {P(0.50):F0} ms, p95 {P(0.95):F0} ms "
            + $"(target ≤ 1000), p99 {P(0.99):F0} ms, max {(latencies.Count > 0 ? latencies[^1] : double.NaN):F0} ms · pairs missing: {missing} · "
            + $"(first event after the call, whatever its place: p50 {P(0.50, anyAfter):F0} ms, p95 {P(0.95, anyAfter):F0} ms) · "
            + $"events received: {watchers.Sum(w => w.Cards)} cards, {watchers.Sum(w => w.Moves)} moves · "
            + $"the branch's views read afresh (median of 5, before the watchers): {viewsMs} ms · load average {File.ReadAllText("/proc/loadavg")[..14]}");
        stop.Cancel();
        await Task.WhenAll(running);
    }

    /// <summary>One phone on /t/{code}: the time of every change it receives (a whole card, "status", or a move up the line, "pos").</summary>
    sealed class Watcher(string code)
    {
        static readonly System.Text.RegularExpressions.Regex CardAhead = new("data-testid=\"people-ahead\"[^>]*>(\\d+)<"), MoveAhead = new("\"ahead\":(\\d+)");
        readonly List<(long At, int Ahead)> received = [];
        public readonly TaskCompletionSource FirstState = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>People ahead in the first card, and in the latest event (-1: no longer in line).</summary>
        public int FirstAhead = -1, Ahead = -1;
        public int Cards, Moves;

        public (long At, int Ahead)[] Received() { lock (received) return [.. received]; }

        public async Task RunAsync(HttpClient http, CancellationToken ct)
        {
            try
            {
                using var response = await http.GetAsync($"/t/{code}/live", HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                string? kind = null;
                var ahead = -1;
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) (kind, ahead) = (line[7..], -1);
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && (kind == "pos" ? MoveAhead : CardAhead).Match(line) is { Success: true } m)
                        ahead = int.Parse(m.Groups[1].Value);
                    else if (line.Length == 0 && kind is "status" or "pos")
                    {
                        var now = Stopwatch.GetTimestamp();
                        lock (received) received.Add((now, ahead));
                        if (kind == "pos") Moves++; else Cards++;
                        if (FirstAhead < 0) FirstAhead = ahead;
                        Ahead = ahead;
                        FirstState.TrySetResult();
                        kind = null;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception ex) { FirstState.TrySetException(ex); }
        }
    }

    /// <summary>The child: hosts the app on a loopback port and answers the parent's commands, one line each.</summary>
    public static async Task ServeAsync()
    {
        // Thousands of watchers come from one address: the per-IP public window is opened for the run.
        await using var app = new Bench.App(new Dictionary<string, string> { ["RateLimits:Public:PermitLimit"] = "100000000" });
        app.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        app.StartServer();
        var sp = app.Services;
        var queue = sp.GetRequiredService<QueueService>();
        int branchId, serviceId, counterId;
        await using (var db = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            (branchId, serviceId) = await db.Services.Where(s => s.Name == "Caja").Select(s => ValueTuple.Create(s.BranchId, s.Id)).FirstAsync();
            counterId = await db.Counters.Where(c => c.Services.Any(s => s.Id == serviceId)).Select(c => c.Id).FirstAsync();
        }
        Console.WriteLine(Tag + sp.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        while (Console.ReadLine() is { } command)
        {
            var parts = command.Split(' ');
            switch (parts[0])
            {
                case "issue":
                    var (count, codes) = (int.Parse(parts[1]), new List<string>());
                    for (var i = 0; i < Math.Min(count, Issued); i++)
                        codes.Add((await queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid()))).Code);
                    codes.AddRange(await CopiesAsync(sp, codes[^1], count - codes.Count));
                    Console.WriteLine(Tag + string.Join(',', codes));
                    break;
                case "call":
                    var at = Stopwatch.GetTimestamp(); // the call starts: its write, commit, event and every watcher's update count
                    var ticket = await queue.CallNextAsync(counterId, "bench-agent") ?? throw new InvalidOperationException("nobody waiting");
                    Console.WriteLine(Tag + at);
                    // Served at once, so the counter is free for the next call.
                    var serving = await queue.StartAsync(ticket.Id, ticket.Version, "bench-agent");
                    await queue.CompleteAsync(serving.Id, serving.Version, "bench-agent", null);
                    break;
                case "views": // the branch's shared views read afresh, as after each event: the median of five
                    var cache = sp.GetRequiredService<TurnoDigital.Core.Live.QueueViewCache>();
                    var times = new List<double>();
                    for (var i = 0; i < 5; i++)
                    {
                        sp.GetRequiredService<TurnoDigital.Core.Live.IQueueNotifier>().Publish(new(branchId, TurnoDigital.Core.Live.QueueEventKind.Resync));
                        var started = Stopwatch.GetTimestamp();
                        await cache.GetAsync(branchId);
                        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    Console.WriteLine(Tag + times.Order().ElementAt(2).ToString("F0"));
                    break;
                case "gc":
                    for (var i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                    using (var self = Process.GetCurrentProcess()) Console.WriteLine(Tag + self.WorkingSet64);
                    break;
            }
        }
    }

    /// <summary>Tickets issued through <see cref="QueueService"/>; the rest of the line are copies of the last one.</summary>
    const int Issued = 200;

    /// <summary>
    /// <paramref name="count"/> more tickets behind <paramref name="code"/>: copies of its row with their own code, number and
    /// sequence (no request id, no journey). Issuing one by one costs more per ticket as the line grows (each issue answers
    /// with the ticket's estimate, which reads the whole line): 10,000 took over ten minutes here, copies take a second. The
    /// live channel reads tickets, not how they were made.
    /// </summary>
    static async Task<List<string>> CopiesAsync(IServiceProvider sp, string code, int count)
    {
        await using var db = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var template = await db.Tickets.AsNoTracking().SingleAsync(t => t.Code == code);
        var prefix = template.Number[..template.Number.LastIndexOf('-')];
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Tickets') WHERE name <> 'Id'";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        var own = new Dictionary<string, string> { ["Code"] = "$code", ["Number"] = "$number", ["Sequence"] = "$sequence", ["RequestId"] = "NULL" };
        await using var tx = await connection.BeginTransactionAsync();
        await using var copy = connection.CreateCommand();
        copy.CommandText = $"INSERT INTO Tickets ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"SELECT {string.Join(", ", columns.Select(c => own.GetValueOrDefault(c, $"\"{c}\"")))} FROM Tickets WHERE Id = {template.Id}";
        System.Data.Common.DbParameter Parameter(string name)
        {
            var p = copy.CreateParameter();
            p.ParameterName = name;
            copy.Parameters.Add(p);
            return p;
        }
        var (codeValue, numberValue, sequenceValue) = (Parameter("$code"), Parameter("$number"), Parameter("$sequence"));
        var codes = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var next = System.Security.Cryptography.RandomNumberGenerator.GetString(QueueService.CodeAlphabet, code.Length);
            (codeValue.Value, numberValue.Value, sequenceValue.Value) = (next, Ticket.FormatNumber(prefix, template.Sequence + i), template.Sequence + i);
            await copy.ExecuteNonQueryAsync();
            codes.Add(next);
        }
        await tx.CommitAsync();
        return codes;
    }

    // setrlimit(RLIMIT_NOFILE): each watcher is one socket on each side; the child inherits the limit.
    [StructLayout(LayoutKind.Sequential)] struct RLimit { public ulong Current, Max; }
    [DllImport("libc", SetLastError = true)] static extern int getrlimit(int resource, out RLimit limit);
    [DllImport("libc", SetLastError = true)] static extern int setrlimit(int resource, ref RLimit limit);

    static void RaiseOpenFileLimit()
    {
        const int NoFile = 7;
        if (!OperatingSystem.IsLinux() || getrlimit(NoFile, out var limit) != 0) return;
        limit.Current = limit.Max;
        setrlimit(NoFile, ref limit);
        getrlimit(NoFile, out limit);
        Console.WriteLine($"open-file limit for the run: {limit.Current} (hard {limit.Max})");
    }
}
