// Issue 16's figures: issue and Call next on PostgreSQL with one and two app nodes, beside the same statements on raw Npgsql,
// and call → board across two nodes through Redis.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Live;

static class HotPgBench
{
    /// <summary>
    /// One throwaway cluster; the app's migrations and the demo's data go once into a template database, and every run gets a
    /// fresh copy of it. Each round runs raw, one node and two nodes back to back; each run issues, then drains what it issued.
    /// </summary>
    public static async Task RunAsync(int rounds, int tickets)
    {
        (HotBench.Runs, HotBench.Tickets) = (rounds, tickets);
        await using var cluster = await PgCluster.StartAsync();
        Console.WriteLine($"PostgreSQL {cluster.Version}, fsync off, synchronous_commit off (as the test cluster)");
        var template = await cluster.CreateDatabaseAsync("turno_template");
        var (seeded, _) = await Bench.CoreAsync(Settings(template));
        await seeded.DisposeAsync();
        NpgsqlConnection.ClearAllPools(); // a template must have no connections to be copied

        var figures = new Dictionary<string, List<double>>();
        void Add(string name, double rate) => (figures.TryGetValue(name, out var l) ? l : figures[name] = []).Add(rate);
        for (var run = 0; run < rounds; run++)
        {
            var raw = await RawNpgsql.CreateAsync(await cluster.CreateDatabaseAsync($"turno_raw_{run}", "turno_template"));
            Add("raw issue", await raw.IssueAsync());
            Add("raw call next", await raw.CallNextAsync());
            foreach (var nodes in new[] { 1, 2 })
            {
                var (issue, call) = await AppAsync(await cluster.CreateDatabaseAsync($"turno_app{nodes}_{run}", "turno_template"), nodes);
                Add($"app{nodes} issue", issue);
                Add($"app{nodes} call next", call);
            }
            Console.WriteLine($"  round {run + 1}: " + string.Join(" · ", figures.Select(f => $"{f.Key} {f.Value[^1]:F0}/s")));
        }
        await CrossNodeAsync(await cluster.CreateDatabaseAsync("turno_cross", "turno_template"), calls: 200);
        double M(string k) => Bench.Median([.. figures[k]]);
        string Ratios(string app, string raw) => string.Join(", ", figures[app].Zip(figures[raw], (a, r) => (a / r).ToString("F3")));
        foreach (var (op, label) in new[] { ("issue", $"issue/s ({HotBench.Kiosks} kiosks"), ("call next", $"call next/s ({HotBench.Agents} agents, 0 duplicates") })
            foreach (var nodes in new[] { 1, 2 })
                Console.WriteLine($"{label}, {tickets} tickets, {nodes} node{(nodes > 1 ? "s" : "")}, median of {rounds}): app {M($"app{nodes} {op}"):F0}, raw {M($"raw {op}"):F0} → {M($"app{nodes} {op}") / M($"raw {op}"):F3}× raw  (per round: {Ratios($"app{nodes} {op}", $"raw {op}")})");
    }

    static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Database:Provider"] = "PostgreSql", ["Database:ConnectionString"] = connectionString,
    };

    /// <summary>
    /// <paramref name="nodes"/> independent app instances (own service provider, connection pool — a distinct Application Name —
    /// and configuration cache) on one database: 4 kiosks issue, then 20 agents drain the line, split between the nodes.
    /// </summary>
    static async Task<(double Issue, double Call)> AppAsync(string connectionString, int nodes)
    {
        var providers = new List<ServiceProvider>();
        for (var n = 0; n < nodes; n++)
        {
            var settings = Settings(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"node{n}" }.ToString());
            settings["Demo:Seed"] = "false"; // the template holds the demo's data
            providers.Add((await Bench.CoreAsync(settings)).Services);
        }
        var queues = providers.Select(p => p.GetRequiredService<QueueService>()).ToList();
        int branchId, serviceId;
        List<int> counters;
        await using (var db = await providers[0].GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var caja = await db.Services.Where(s => s.Name == "Caja").Select(s => new { s.BranchId, s.Id }).SingleAsync(); // a tuple is a PostgreSQL record
            (branchId, serviceId) = (caja.BranchId, caja.Id);
            counters = await db.Counters.Where(c => c.Services.Any(s => s.Id == serviceId)).Select(c => c.Id).ToListAsync();
        }
        var tickets = HotBench.Tickets;

        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, HotBench.Kiosks).Select(k => Task.Run(async () =>
        {
            for (var i = 0; i < tickets / HotBench.Kiosks; i++)
                await queues[k % nodes].IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid()));
        })));
        var issue = tickets / sw.Elapsed.TotalSeconds;

        var called = new ConcurrentBag<long>();
        var busy = 0;
        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, HotBench.Agents).Select(a => Task.Run(async () =>
        {
            var counter = counters[a % counters.Count];
            for (var i = 0; ; i++)
            {
                Ticket? t;
                // A fresh agent id per call (an agent holding a called ticket may not call again); the desk asks to retry when busy.
                try { t = await queues[a % nodes].CallNextAsync(counter, $"agent-{a}-{i}"); }
                catch (DomainException e) when (e.Code == "Queue.BusyRetryCall") { Interlocked.Increment(ref busy); continue; }
                if (t is null) break;
                called.Add(t.Id);
            }
        })));
        var call = tickets / sw.Elapsed.TotalSeconds;
        HotBench.Check(called);
        if (busy > 0) Console.WriteLine($"  ({nodes} node(s): {busy} calls answered \"busy, retry\")");
        foreach (var p in providers) await p.DisposeAsync();
        return (issue, call);
    }

    /// <summary>
    /// Call → board across nodes: node a calls, node b hears the call through Redis (its own redis-server here) and rebuilds the
    /// board's view, what a board served by node b then draws. One call at a time, so each figure is one call's own path.
    /// </summary>
    static async Task CrossNodeAsync(string connectionString, int calls)
    {
        await using var redis = await RedisProcess.StartAsync();
        var nodes = new List<ServiceProvider>();
        foreach (var name in new[] { "a", "b" })
        {
            var settings = Settings(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"node-{name}" }.ToString());
            settings["Demo:Seed"] = "false";
            nodes.Add((await Bench.CoreAsync(settings, s =>
            {
                s.AddSingleton<LiveChannelStatus>();
                s.AddSingleton(sp => new RedisQueueNotifier(redis.Configuration, "turno:bench", sp.GetRequiredService<LiveChannelStatus>(),
                    TimeProvider.System, sp.GetRequiredService<ILogger<RedisQueueNotifier>>()));
                s.AddSingleton<IQueueNotifier>(sp => sp.GetRequiredService<RedisQueueNotifier>());
                s.AddSingleton<IQueueEventSource>(sp => sp.GetRequiredService<RedisQueueNotifier>());
            })).Services);
        }
        var (a, b) = (nodes[0], nodes[1]);
        int branchId, serviceId, counterId;
        await using (var db = await a.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var caja = await db.Services.Where(s => s.Name == "Caja").Select(s => new { s.BranchId, s.Id }).SingleAsync();
            (branchId, serviceId) = (caja.BranchId, caja.Id);
            counterId = await db.Counters.Where(c => c.Services.Any(s => s.Id == serviceId)).Select(c => c.Id).FirstAsync();
        }
        var queue = a.GetRequiredService<QueueService>();
        for (var i = 0; i < calls; i++) await queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid()));

        var board = b.GetRequiredService<QueueViewCache>();
        await board.GetAsync(branchId);
        var heard = new ConcurrentDictionary<long, long>();
        var shown = new ConcurrentDictionary<long, TaskCompletionSource<long>>();
        TaskCompletionSource<long> Shown(long id) => shown.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        using var screen = board.Subscribe(branchId, async e =>
        {
            if (e is not { Kind: QueueEventKind.TicketCalled, TicketId: { } id }) return;
            heard[id] = Stopwatch.GetTimestamp();
            var views = await board.GetAsync(branchId);
            if (views?.Board.RecentCalls.Any(c => c.TicketId == id) == true) Shown(id).TrySetResult(Stopwatch.GetTimestamp());
        });
        var hear = new List<double>();
        var show = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var ticket = await queue.CallNextAsync(counterId, $"agent-{i}") ?? throw new InvalidOperationException("The line ran dry");
            var end = await Shown(ticket.Id).Task.WaitAsync(TimeSpan.FromSeconds(30));
            hear.Add(Stopwatch.GetElapsedTime(start, heard[ticket.Id]).TotalMilliseconds);
            show.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
        }
        static string P(List<double> xs) { xs.Sort(); return $"p50 {xs[xs.Count / 2]:F1} ms, p95 {xs[(int)(xs.Count * 0.95)]:F1} ms, p99 {xs[(int)(xs.Count * 0.99)]:F1} ms"; }
        Console.WriteLine($"call on node a → event on node b (Redis), {calls} calls one at a time: {P(hear)}");
        Console.WriteLine($"call on node a → node b's board view shows it: {P(show)}");
        foreach (var p in nodes) await p.DisposeAsync();
    }

    /// <summary>A throwaway redis-server on a free loopback port, as the tests' <c>Support/RedisServer</c> (an xunit fixture).</summary>
    sealed class RedisProcess : IAsyncDisposable
    {
        Process? process;
        int port;

        public string Configuration => $"127.0.0.1:{port},abortConnect=false";

        public static async Task<RedisProcess> StartAsync()
        {
            var r = new RedisProcess();
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            r.port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true };
            foreach (var arg in new[] { "--port", $"{r.port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) start.ArgumentList.Add(arg);
            r.process = Process.Start(start) ?? throw new InvalidOperationException("redis-server not found: apt-get install redis-server");
            r.process.OutputDataReceived += (_, _) => { };
            r.process.BeginOutputReadLine();
            for (var i = 0; ; i++)
                try
                {
                    using var probe = new System.Net.Sockets.TcpClient();
                    await probe.ConnectAsync(System.Net.IPAddress.Loopback, r.port);
                    return r;
                }
                catch (System.Net.Sockets.SocketException) when (i < 200) { await Task.Delay(50); }
        }

        public async ValueTask DisposeAsync()
        {
            if (process is null) return;
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>The raw SQLite statements in PostgreSQL's dialect, on a copy of the same template, 4 and 20 connections at once.</summary>
    sealed class RawNpgsql(NpgsqlDataSource source, int branchId, int serviceId, int counterId)
    {
        static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow);

        public static async Task<RawNpgsql> CreateAsync(string connectionString)
        {
            var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "raw" }.ToString());
            await using var c = await source.OpenConnectionAsync();
            await using var ids = new NpgsqlCommand("""
                SELECT s."BranchId", s."Id", (SELECT MIN(cs."CountersId") FROM "CounterServices" cs WHERE cs."ServicesId" = s."Id")
                FROM "Services" s WHERE s."Name" = 'Caja'
                """, c);
            await using var reader = await ids.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (branch, service, counter) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
            await reader.DisposeAsync();
            await Exec(c, """INSERT INTO "TicketNumberCounters" ("BranchId", "ServiceId", "Day", "LastSequence") VALUES (@b, @s, @d, 0)""",
                ("b", branch), ("s", service), ("d", Day));
            return new RawNpgsql(source, branch, service, counter);
        }

        static async Task<int> Exec(NpgsqlConnection c, string sql, params (string, object)[] ps)
        {
            await using var cmd = Command(c, sql, ps);
            return await cmd.ExecuteNonQueryAsync();
        }

        static NpgsqlCommand Command(NpgsqlConnection c, string sql, params (string Name, object Value)[] ps)
        {
            var cmd = new NpgsqlCommand(sql, c);
            foreach (var (name, value) in ps) cmd.Parameters.AddWithValue(name, value);
            return cmd;
        }

        /// <summary>Counter update + ticket insert + journey insert in one transaction.</summary>
        public async Task<double> IssueAsync()
        {
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, HotBench.Kiosks).Select(k => Task.Run(async () =>
            {
                await using var c = await source.OpenConnectionAsync();
                for (var i = 0; i < HotBench.Tickets / HotBench.Kiosks; i++)
                {
                    var now = DateTime.UtcNow;
                    await using var tx = await c.BeginTransactionAsync();
                    await using var next = Command(c, """
                        UPDATE "TicketNumberCounters" SET "LastSequence" = "LastSequence" + 1
                        WHERE "BranchId" = @b AND "ServiceId" = @s AND "Day" = @d RETURNING "LastSequence"
                        """, ("b", branchId), ("s", serviceId), ("d", Day));
                    var sequence = (int)(await next.ExecuteScalarAsync())!;
                    await using var ticket = Command(c, """
                        INSERT INTO "Tickets" ("BranchId", "ServiceId", "ServiceDay", "Sequence", "Number", "Code", "Channel", "Status", "Priority",
                            "IssuedAt", "DueAt", "RequestId", "CallCount", "ClosedBySystem", "Segment", "Version", "WhatsAppOptIn")
                        VALUES (@b, @s, @d, @n, @num, @code, 'Kiosk', 'Waiting', 2, @now, @now, @r, 0, FALSE, 1, 1, FALSE) RETURNING "Id"
                        """, ("b", branchId), ("s", serviceId), ("d", Day), ("n", sequence), ("num", $"A-{sequence:000}"),
                        ("code", Guid.NewGuid().ToString("N")[..10]), ("now", now), ("r", Guid.NewGuid()));
                    var id = (long)(await ticket.ExecuteScalarAsync())!;
                    await Journey(c, id, "TicketIssued", now);
                    await tx.CommitAsync();
                }
            })));
            return HotBench.Tickets / sw.Elapsed.TotalSeconds;
        }

        Task<int> Journey(NpgsqlConnection c, long ticketId, string kind, DateTime now) => Exec(c, """
            INSERT INTO "JourneyEvents" ("BranchId", "TicketId", "ServiceId", "Kind", "Channel", "At") VALUES (@b, @t, @s, @k, 'Kiosk', @now)
            """, ("b", branchId), ("t", ticketId), ("s", serviceId), ("k", kind), ("now", now));

        /// <summary>First candidate on the line's index + conditional update + journey insert in one transaction, until the line is empty.</summary>
        public async Task<double> CallNextAsync()
        {
            var called = new ConcurrentBag<long>();
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, HotBench.Agents).Select(a => Task.Run(async () =>
            {
                await using var c = await source.OpenConnectionAsync();
                while (true)
                {
                    var now = DateTime.UtcNow;
                    await using var tx = await c.BeginTransactionAsync();
                    await using var first = Command(c, """
                        SELECT "Id", "Version" FROM "Tickets" WHERE "BranchId" = @b AND "Status" = 'Waiting' AND "ServiceId" = @s AND "ServiceDay" = @d
                        ORDER BY "Priority", "DueAt", "Id" LIMIT 1
                        """, ("b", branchId), ("s", serviceId), ("d", Day));
                    long id;
                    int version;
                    await using (var reader = await first.ExecuteReaderAsync())
                    {
                        if (!await reader.ReadAsync()) break;
                        (id, version) = (reader.GetInt64(0), reader.GetInt32(1));
                    }
                    // Read committed: a loser waits for the winner's commit, then updates 0 rows and tries again.
                    if (await Exec(c, """
                            UPDATE "Tickets" SET "Status" = 'Called', "CounterId" = @c, "AgentId" = @a, "CalledAt" = @now, "CallCount" = "CallCount" + 1, "Version" = "Version" + 1
                            WHERE "Id" = @id AND "Version" = @v AND "Status" = 'Waiting'
                            """, ("c", counterId), ("a", $"agent-{a}"), ("now", now), ("id", id), ("v", version)) == 0)
                        continue;
                    await Journey(c, id, "TicketCalled", now);
                    await tx.CommitAsync();
                    called.Add(id);
                }
            })));
            var rate = HotBench.Tickets / sw.Elapsed.TotalSeconds;
            HotBench.Check(called);
            await source.DisposeAsync();
            return rate;
        }
    }

    /// <summary>
    /// As the tests' <c>Support/PostgresCluster</c> (which is an xunit fixture): initdb in a temp folder, a free loopback port, no
    /// fsync, run as the <c>postgres</c> user when root.
    /// </summary>
    sealed class PgCluster : IAsyncDisposable
    {
        static readonly bool Root = Environment.UserName == "root";
        readonly string folder = Directory.CreateTempSubdirectory("turno-bench-pg-").FullName;
        string bin = "", data = "";
        int port;

        public string Version => Path.GetFileName(Path.GetDirectoryName(bin))!;

        public static async Task<PgCluster> StartAsync()
        {
            var c = new PgCluster();
            c.bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
                ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: apt-get install postgresql");
            c.data = Path.Combine(c.folder, "data");
            if (Root) await RunAsync("chown", "postgres:postgres", c.folder);
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            c.port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            await c.AsPostgresAsync("initdb", "-D", c.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
            await c.AsPostgresAsync("pg_ctl", "-D", c.data, "-l", Path.Combine(c.folder, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {c.port} -h 127.0.0.1 -k {c.folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
            return c;
        }

        string ConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database, MaxPoolSize = 100 }.ToString();

        public async Task<string> CreateDatabaseAsync(string name, string? template = null)
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}{(template is null ? "" : $" TEMPLATE {template}")}", connection);
            await cmd.ExecuteNonQueryAsync();
            return ConnectionString(name);
        }

        Task AsPostgresAsync(string tool, params string[] args) =>
            Root ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args]) : RunAsync(Path.Combine(bin, tool), args);

        static async Task RunAsync(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {await error}{await output}");
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            try { await AsPostgresAsync("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"); } catch (InvalidOperationException) { }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
