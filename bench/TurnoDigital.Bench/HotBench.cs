// Issue 17 §2: the queue's hot paths beside the same minimal statements on raw Microsoft.Data.Sqlite, in the same run.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

static class HotBench
{
    internal const int Kiosks = 4, Agents = 20;
    internal static int Runs = 3, Tickets = 2000;

    /// <summary>Each round runs raw and app back to back on fresh files of the same schema (the app's migrations, the demo's data).</summary>
    public static async Task RunAsync(int rounds, int tickets)
    {
        (Runs, Tickets) = (rounds, tickets);
        var figures = new Dictionary<string, List<double>>();
        void Add(string name, double rate) => (figures.TryGetValue(name, out var l) ? l : figures[name] = []).Add(rate);
        for (var run = 0; run < Runs; run++)
        {
            var raw = await RawSqlite.CreateAsync();
            Add("raw issue", await raw.IssueAsync());
            Add("raw call next", await raw.CallNextAsync());
            Add("app issue", await AppIssueAsync());
            Add("app call next", await AppCallNextAsync(cycle: false));
            Add("app call cycle", await AppCallNextAsync(cycle: true));
            Console.WriteLine($"  round {run + 1}: " + string.Join(" · ", figures.Select(f => $"{f.Key} {f.Value[^1]:F0}/s")));
        }
        double M(string k) => Bench.Median([.. figures[k]]);
        Console.WriteLine($"issue/s (4 kiosks, {Tickets} tickets, median of {Runs}): app {M("app issue"):F0}, raw {M("raw issue"):F0} → {M("app issue") / M("raw issue"):F3}× raw");
        Console.WriteLine($"call next/s (20 agents, {Tickets} tickets, median of {Runs}): app {M("app call next"):F0}, raw {M("raw call next"):F0} → {M("app call next") / M("raw call next"):F3}× raw");
        Console.WriteLine($"call + start + complete cycles/s (20 agents): app {M("app call cycle"):F0} ({M("app call cycle") / M("raw call next"):F3}× raw call next)");
        Console.WriteLine("ratio per round: issue " + string.Join(", ", figures["app issue"].Zip(figures["raw issue"], (a, r) => (a / r).ToString("F3")))
            + " · call next " + string.Join(", ", figures["app call next"].Zip(figures["raw call next"], (a, r) => (a / r).ToString("F3"))));
    }

    internal static async Task<(ServiceProvider Services, QueueService Queue, int BranchId, int ServiceId, List<int> Counters)> AppAsync()
    {
        var (sp, _) = await Bench.CoreAsync();
        await using var db = await sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var (branchId, serviceId) = await db.Services.Where(s => s.Name == "Caja").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
        var counters = await db.Counters.Where(c => c.Services.Any(s => s.Id == serviceId)).Select(c => c.Id).ToListAsync();
        return (sp, sp.GetRequiredService<QueueService>(), branchId, serviceId, counters);
    }

    /// <summary><see cref="QueueService.IssueAsync"/> with the status view the kiosk shows, 4 kiosks at once.</summary>
    internal static async Task<double> AppIssueAsync()
    {
        var (sp, queue, branchId, serviceId, _) = await AppAsync();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Kiosks).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < Tickets / Kiosks; i++)
                await queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid()));
        })));
        var rate = Tickets / sw.Elapsed.TotalSeconds;
        await sp.DisposeAsync();
        return rate;
    }

    /// <summary>
    /// 20 agents drain 2,000 waiting tickets. Call next alone: every call is by a fresh agent id (an agent holding a called
    /// ticket may not call again), so only <see cref="QueueService.CallNextAsync"/> is timed. The cycle adds start and complete.
    /// </summary>
    internal static async Task<double> AppCallNextAsync(bool cycle)
    {
        var (sp, queue, branchId, serviceId, counters) = await AppAsync();
        for (var i = 0; i < Tickets; i++) await queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid()));
        var called = new ConcurrentBag<long>();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Agents).Select(a => Task.Run(async () =>
        {
            var counter = counters[a % counters.Count];
            for (var i = 0; ; i++)
            {
                var agent = cycle ? $"agent-{a}" : $"agent-{a}-{i}";
                if (await queue.CallNextAsync(counter, agent) is not { } t) break;
                called.Add(t.Id);
                if (!cycle) continue;
                var s = await queue.StartAsync(t.Id, t.Version, agent);
                await queue.CompleteAsync(s.Id, s.Version, agent, null);
            }
        })));
        var rate = Tickets / sw.Elapsed.TotalSeconds;
        Check(called);
        await sp.DisposeAsync();
        return rate;
    }

    internal static void Check(ConcurrentBag<long> called)
    {
        var duplicates = called.Count - called.Distinct().Count();
        if (called.Count != Tickets || duplicates != 0) throw new Exception($"called {called.Count} of {Tickets}, duplicates {duplicates}");
    }

    /// <summary>The same statements on a file of the same schema, with raw Microsoft.Data.Sqlite and the app's pragmas.</summary>
    sealed class RawSqlite(string connectionString, int branchId, int serviceId, int counterId)
    {
        static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow);

        public static async Task<RawSqlite> CreateAsync()
        {
            var (sp, folder) = await Bench.CoreAsync();
            int branchId, serviceId, counterId;
            await using (var db = await sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            {
                (branchId, serviceId) = await db.Services.Where(s => s.Name == "Caja").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
                counterId = await db.Counters.Where(c => c.Services.Any(s => s.Id == serviceId)).Select(c => c.Id).FirstAsync();
            }
            await sp.DisposeAsync();
            var raw = new RawSqlite($"Data Source={Path.Combine(folder, "turno.db")};Default Timeout=30", branchId, serviceId, counterId);
            await using var c = await raw.OpenAsync();
            await Exec(c, "INSERT INTO TicketNumberCounters (BranchId, ServiceId, Day, LastSequence) VALUES ($b, $s, $d, 0)",
                ("$b", branchId), ("$s", serviceId), ("$d", Day));
            return raw;
        }

        async Task<SqliteConnection> OpenAsync()
        {
            var c = new SqliteConnection(connectionString);
            await c.OpenAsync();
            await Exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
            return c;
        }

        static async Task<int> Exec(SqliteConnection c, string sql, params (string, object)[] ps)
        {
            await using var cmd = Command(c, sql, ps);
            return await cmd.ExecuteNonQueryAsync();
        }

        static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object Value)[] ps)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in ps) cmd.Parameters.AddWithValue(name, value);
            return cmd;
        }

        /// <summary>Counter update + ticket insert + journey insert in one transaction; 4 connections at once.</summary>
        public async Task<double> IssueAsync()
        {
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Kiosks).Select(k => Task.Run(async () =>
            {
                await using var c = await OpenAsync();
                for (var i = 0; i < Tickets / Kiosks; i++)
                {
                    var now = DateTime.UtcNow;
                    await using var tx = c.BeginTransaction(); // BEGIN IMMEDIATE, as the app's transactions
                    await using var next = Command(c, "UPDATE TicketNumberCounters SET LastSequence = LastSequence + 1 WHERE BranchId = $b AND ServiceId = $s AND Day = $d RETURNING LastSequence",
                        ("$b", branchId), ("$s", serviceId), ("$d", Day));
                    var sequence = Convert.ToInt32(await next.ExecuteScalarAsync());
                    await using var ticket = Command(c, """
                        INSERT INTO Tickets (BranchId, ServiceId, ServiceDay, Sequence, Number, Code, Channel, Status, Priority, IssuedAt, DueAt, RequestId,
                            CallCount, ClosedBySystem, Segment, Version, WhatsAppOptIn)
                        VALUES ($b, $s, $d, $n, $num, $code, 'Kiosk', 'Waiting', 2, $now, $now, $r, 0, 0, 1, 1, 0) RETURNING Id
                        """, ("$b", branchId), ("$s", serviceId), ("$d", Day), ("$n", sequence), ("$num", $"A-{sequence:000}"),
                        ("$code", Guid.NewGuid().ToString("N")[..10]), ("$now", now), ("$r", Guid.NewGuid().ToString().ToUpperInvariant()));
                    var id = (long)(await ticket.ExecuteScalarAsync())!;
                    await Journey(c, id, "TicketIssued", now);
                    await tx.CommitAsync();
                }
            })));
            return Tickets / sw.Elapsed.TotalSeconds;
        }

        Task<int> Journey(SqliteConnection c, long ticketId, string kind, DateTime now) => Exec(c,
            "INSERT INTO JourneyEvents (BranchId, TicketId, ServiceId, Kind, Channel, At) VALUES ($b, $t, $s, $k, 'Kiosk', $now)",
            ("$b", branchId), ("$t", ticketId), ("$s", serviceId), ("$k", kind), ("$now", now));

        /// <summary>
        /// Select the first candidate on the line's index + conditional update + journey insert in one transaction, 20 connections
        /// at once, until the tickets <see cref="IssueAsync"/> left waiting are all called.
        /// </summary>
        public async Task<double> CallNextAsync()
        {
            var called = new ConcurrentBag<long>();
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Agents).Select(a => Task.Run(async () =>
            {
                await using var c = await OpenAsync();
                while (true)
                {
                    var now = DateTime.UtcNow;
                    await using var tx = c.BeginTransaction();
                    await using var first = Command(c, """
                        SELECT Id, Version FROM Tickets WHERE BranchId = $b AND Status = 'Waiting' AND ServiceId = $s AND ServiceDay = $d
                        ORDER BY Priority, DueAt, Id LIMIT 1
                        """, ("$b", branchId), ("$s", serviceId), ("$d", Day));
                    await using var reader = await first.ExecuteReaderAsync();
                    if (!await reader.ReadAsync()) break;
                    var (id, version) = (reader.GetInt64(0), reader.GetInt32(1));
                    await reader.DisposeAsync();
                    if (await Exec(c, """
                            UPDATE Tickets SET Status = 'Called', CounterId = $c, AgentId = $a, CalledAt = $now, CallCount = CallCount + 1, Version = Version + 1
                            WHERE Id = $id AND Version = $v AND Status = 'Waiting'
                            """, ("$c", counterId), ("$a", $"agent-{a}"), ("$now", now), ("$id", id), ("$v", version)) == 0)
                        continue;
                    await Journey(c, id, "TicketCalled", now);
                    await tx.CommitAsync();
                    called.Add(id);
                }
            })));
            var rate = Tickets / sw.Elapsed.TotalSeconds;
            Check(called);
            return rate;
        }
    }
}

/// <summary>
/// One kiosk, then one agent, one operation at a time: the time of each operation alone (wall and CPU), without the
/// concurrency of <see cref="HotBench"/>. 2,000 tickets issued, then all called, per round.
/// </summary>
static class SequentialBench
{
    public static async Task RunAsync(int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var (sp, queue, branchId, serviceId, counters) = await HotBench.AppAsync();
            var issue = await TimeAsync(i => queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid())));
            var call = await TimeAsync(i => queue.CallNextAsync(counters[0], $"agent-{i}"));
            Console.WriteLine($"  round {round + 1}: issue (with the kiosk's status view) {issue.Wall:F0} µs, {issue.Cpu:F0} µs CPU · call next {call.Wall:F0} µs, {call.Cpu:F0} µs CPU" +
                $" · SQLite's memory {SQLitePCL.raw.sqlite3_memory_used() / 1024.0 / 1024:F1} MiB");
            await sp.DisposeAsync();
        }
    }

    static async Task<(double Wall, double Cpu)> TimeAsync(Func<int, Task> operation)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < HotBench.Tickets; i++) await operation(i);
        return (sw.Elapsed.TotalMicroseconds / HotBench.Tickets, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / HotBench.Tickets);
    }
}
