using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Demo;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Reporting.Pdf;
using TurnoDigital.Core.Simulation;

/// <summary>
/// The channel report over 30 days of one branch played by the simulation engine (issue 18: the same engine as the estimate
/// replay, on its fast path, <see cref="SimulationContainer"/>): ≈100,000 tickets by default with appointments, reminders,
/// WhatsApp messages and ratings, then 30 times as many (≈3,000,000) by copying every ticket 29 times within its day. Report
/// computation, PDF and CSV zip time and peak memory, exact from the tickets (the engine's month only) and on the daily
/// pre-aggregates (closed days summed, <see cref="DailyAggregates"/>), also with the last day live.
/// </summary>
static class ReportBench
{
    const int Days = 30, Copies = 30;
    static TurnoDigital.Core.Supervision.StaffingQueries Staffing = default!;

    public static async Task RunAsync(int tickets)
    {
        var (sp, _) = await Bench.CoreAsync();
        var dbFactory = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>();
        var from = new DateOnly(2026, 10, 1);
        var seedClock = Stopwatch.StartNew();
        int branchId, seeded;
        await using (var db = dbFactory.CreateDbContext())
        {
            branchId = await SeedAsync(sp, db, from, tickets);
            seeded = await db.Tickets.CountAsync(t => t.BranchId == branchId && t.ServiceDay >= from && t.ServiceDay < from.AddDays(Days));
        }
        Console.WriteLine($"report seed: {seeded:N0} tickets over {Days} days played by the simulation engine in {seedClock.Elapsed.TotalSeconds:F1} s");

        var reports = sp.GetRequiredService<ChannelReportService>();
        Staffing = sp.GetRequiredService<TurnoDigital.Core.Supervision.StaffingQueries>();
        var filter = new ReportFilter(from, from.AddDays(Days - 1), [branchId], []);
        await reports.ComputeAsync(new ReportFilter(from, from, [branchId], [])); // warm-up: JIT, EF model, fonts
        ChannelReportPdf.Render(await reports.ComputeAsync(new ReportFilter(from, from, [branchId], [])));
        await MeasureAsync($"{seeded:N0} tickets, exact from the tickets", reports, filter);
        await MeasureAggregatesAsync(sp, reports, filter, seeded);

        // The 3 M month: every ticket copied within its day. The exact report would load every wait: it says nothing new but its memory.
        await using (var db = dbFactory.CreateDbContext()) await CopyTicketsAsync(db, Copies - 1);
        await using (var db = dbFactory.CreateDbContext())
            await db.DayClosures.Where(c => c.BranchId == branchId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AggregatedAt, (DateTime?)null));
        await MeasureAggregatesAsync(sp, reports, filter, seeded * Copies);
        await sp.DisposeAsync();
    }

    /// <summary>Every day closes and the job sums them (what AggregateDaysJob does each minute); then the last day is read live.</summary>
    static async Task MeasureAggregatesAsync(ServiceProvider sp, ChannelReportService reports, ReportFilter filter, int tickets)
    {
        var branchId = filter.BranchIds[0];
        await using (var db = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            var now = DateTime.UtcNow;
            var closed = await db.DayClosures.Where(c => c.BranchId == branchId).Select(c => c.Day).ToListAsync();
            for (var d = filter.From; d <= filter.To; d = d.AddDays(1))
                if (!closed.Contains(d)) db.DayClosures.Add(DayClosure.ByMidnight(branchId, d, now));
            await db.SaveChangesAsync();
        }
        var aggregates = sp.GetRequiredService<DailyAggregates>();
        var sw = Stopwatch.StartNew();
        int summed = 0, n;
        while ((n = await aggregates.RefreshAsync()) > 0) summed += n;
        Console.WriteLine($"report aggregation: {summed} branch days summed in {sw.Elapsed.TotalSeconds:F1} s ({sw.Elapsed.TotalMilliseconds / Math.Max(1, summed):F0} ms a day, once per day at close)");
        await MeasureAsync($"{tickets:N0} tickets, 30 closed days on aggregates", reports, filter);

        // The last day live (today, or a day a late change made stale): read from its tickets, exactly.
        await using (var db = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            await db.DayClosures.Where(c => c.BranchId == branchId && c.Day == filter.To).ExecuteUpdateAsync(s => s.SetProperty(c => c.AggregatedAt, (DateTime?)null));
        await MeasureAsync($"{tickets:N0} tickets, 29 days on aggregates + 1 live day", reports, filter);
    }

    static async Task MeasureAsync(string what, ChannelReportService reports, ReportFilter filter)
    {
        GC.Collect();
        ResetPeakRss();
        var compute = new List<double>(); var pdf = new List<double>(); var csv = new List<double>();
        long pdfBytes = 0, heapPeak = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(true);
        for (var run = 0; run < 3; run++)
        {
            var sw = Stopwatch.StartNew();
            var report = await reports.ComputeAsync(filter);
            compute.Add(sw.Elapsed.TotalMilliseconds);
            heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
            sw.Restart();
            var bytes = ChannelReportPdf.Render(report);
            pdf.Add(sw.Elapsed.TotalMilliseconds);
            pdfBytes = bytes.Length;
            heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
            sw.Restart();
            ChannelReportCsv.Zip(report);
            csv.Add(sw.Elapsed.TotalMilliseconds);
            if (run == 0) Console.WriteLine($"report [{what}] check: {report.Total.Visits:N0} visits, {report.Total.AppointmentsDue:N0} appointments due, p50/p90 wait {report.Total.WaitP50Seconds}/{report.Total.WaitP90Seconds} s, percentiles: {report.PercentileNote}");
        }
        var allocatedPerRun = (GC.GetTotalAllocatedBytes(true) - allocatedBefore) / 3;
        var total = compute.Zip(pdf, (c, p) => c + p).ToList();
        Console.WriteLine($"report [{what}] compute (median of 3): {Bench.Median(compute):F0} ms  runs: {string.Join(", ", compute.Select(x => x.ToString("F0")))}");
        Console.WriteLine($"report [{what}] PDF (median of 3): {Bench.Median(pdf):F0} ms, {pdfBytes / 1024} KiB; CSV zip {Bench.Median(csv):F0} ms; compute + PDF {Bench.Median(total):F0} ms  runs: {string.Join(", ", total.Select(x => x.ToString("F0")))}");
        Console.WriteLine($"report [{what}] memory: peak RSS during the 3 runs {PeakRssMiB()} MiB (whole process), managed heap peak seen {heapPeak / 1048576} MiB, allocated per report (compute+PDF+CSV) {allocatedPerRun / 1048576} MiB");
        await StepsAsync(what, reports, filter);
    }

    /// <summary>One more report, step by step (after the peak was read): where its time and allocation go.</summary>
    static async Task StepsAsync(string what, ChannelReportService reports, ReportFilter filter)
    {
        async Task<T> Step<T>(string step, Func<Task<T>> run)
        {
            var (before, sw) = (GC.GetTotalAllocatedBytes(true), Stopwatch.StartNew());
            var result = await run();
            Console.WriteLine($"report [{what}] step {step}: {sw.Elapsed.TotalMilliseconds:F0} ms, allocated {(GC.GetTotalAllocatedBytes(true) - before) / 1048576.0:F1} MiB");
            return result;
        }
        var report = await Step("compute (staffing included)", () => reports.ComputeAsync(filter));
        foreach (var f in report.Staffing)
            await Step($"staffing forecast alone (branch {f.BranchId}, {f.Weekday}, {f.ObservedDays.Count} days)", () => Staffing.ForecastAsync(f.BranchId, f.Weekday));
        await Step("PDF", () => Task.FromResult(ChannelReportPdf.Render(report)));
        await Step("CSV zip", () => Task.FromResult(ChannelReportCsv.Zip(report)));
    }

    /// <summary>Linux: writing 5 to clear_refs resets the process's peak resident set (VmHWM), so the peak is the report's, not the seeding's.</summary>
    static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static long PeakRssMiB() => File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:"))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

    /// <summary>Copies every ticket <paramref name="copies"/> times within its own day (codes and numbers suffixed; as walk-ins of the appointment's channel).</summary>
    static async Task CopyTicketsAsync(TurnoDbContext db, int copies)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Tickets')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        columns.Remove("Id");
        var last = await db.Tickets.MaxAsync(t => t.Id);
        for (var d = 1; d <= copies; d++)
        {
            string Value(string c) => c switch
            {
                "Code" => $"t.Code || '.{d}'",
                "Number" => $"t.Number || '/{d}'",
                "AppointmentId" or "RequestId" => "NULL",
                "Channel" => "COALESCE((SELECT a.Channel FROM Appointments a WHERE a.Id = t.AppointmentId), t.Channel)",
                _ => $"t.\"{c}\"",
            };
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO Tickets ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {string.Join(", ", columns.Select(Value))} FROM Tickets t WHERE t.Id <= {last}");
            await tx.CommitAsync();
        }
    }

    /// <summary>
    /// The demo's history parameters scaled to ≈<paramref name="tickets"/> over the month (Sundays closed, Saturdays half, Mondays and
    /// paydays busier: ≈0.85 of a weekday on average), played by the engine on the app's database.
    /// </summary>
    static async Task<int> SeedAsync(IServiceProvider root, TurnoDbContext db, DateOnly from, int tickets)
    {
        var branch = await db.Branches.OrderBy(b => b.Id).FirstAsync();
        var demo = DemoHistory.Parameters(from);
        var scale = tickets / (double)Days / 0.85 / demo.WalkIns;
        var p = demo with
        {
            WalkIns = (int)Math.Round(demo.WalkIns * scale), Agents = (int)Math.Ceiling(demo.Agents * scale), Appointments = (int)Math.Round(demo.Appointments * scale),
        };
        var start = TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), branch.Zone);
        var clock = new SimulationClock(start.AddDays(-20));
        await using var container = SimulationContainer.On(root, db, clock);
        await new SimulationEngine(container, clock.Set).RunHistoryAsync(p, start.AddDays(Days));
        return branch.Id;
    }
}
