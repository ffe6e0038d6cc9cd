using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Reporting.Pdf;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

/// <summary>
/// The channel report over 30 days: 100,000 tickets in all (≈3,300 a day) with appointments, reminders and ratings, and
/// 3,000,000 (100,000 a day). Report computation, PDF and CSV zip time and peak memory, exact from the tickets (100,000 only)
/// and on the daily pre-aggregates (closed days summed, <see cref="DailyAggregates"/>), also with the last day live.
/// </summary>
static class ReportBench
{
    const int Days = 30;
    static TurnoDigital.Core.Supervision.StaffingQueries Staffing = default!;

    public static async Task RunAsync()
    {
        await RunAsync(100_000, copied: false);
        await RunAsync(3_000_000, copied: true);
    }

    /// <summary>
    /// <paramref name="copied"/>: only the first day is seeded through EF (100,000 tickets, appointments, reminders); the other 29
    /// are SQL copies of its tickets shifted by whole days (walk-ins of the appointment's channel, so appointments are the first day's only).
    /// </summary>
    static async Task RunAsync(int tickets, bool copied)
    {
        var (sp, _) = await Bench.CoreAsync();
        var dbFactory = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>();
        var from = new DateOnly(2026, 10, 1);
        var seedClock = Stopwatch.StartNew();
        int branchId;
        await using (var db = dbFactory.CreateDbContext())
        {
            branchId = await SeedAsync(db, from, copied ? 1 : Days, copied ? tickets / Days : tickets);
            if (copied) await CopyDaysAsync(db, from, Days - 1);
        }
        Console.WriteLine($"report seed: {tickets:N0} tickets over {Days} days in {seedClock.Elapsed.TotalSeconds:F1} s{(copied ? " (day 1 through EF, 29 days copied in SQL)" : "")}");

        var reports = sp.GetRequiredService<ChannelReportService>();
        Staffing = sp.GetRequiredService<TurnoDigital.Core.Supervision.StaffingQueries>();
        var filter = new ReportFilter(from, from.AddDays(Days - 1), [branchId], []);
        await reports.ComputeAsync(new ReportFilter(from, from, [branchId], [])); // warm-up: JIT, EF model, fonts
        ChannelReportPdf.Render(await reports.ComputeAsync(new ReportFilter(from, from, [branchId], [])));
        // The exact report loads every wait: 3 M of them would say nothing new about the old design but its memory.
        if (!copied) await MeasureAsync($"{tickets:N0} tickets, exact from the tickets", reports, filter);

        // Every day closes; the job sums them (what AggregateDaysJob does each minute).
        await using (var db = dbFactory.CreateDbContext())
        {
            var now = DateTime.UtcNow;
            for (var d = 0; d < Days; d++) db.DayClosures.Add(DayClosure.ByMidnight(branchId, from.AddDays(d), now));
            await db.SaveChangesAsync();
        }
        var aggregates = sp.GetRequiredService<DailyAggregates>();
        var sw = Stopwatch.StartNew();
        int summed = 0, n;
        while ((n = await aggregates.RefreshAsync()) > 0) summed += n;
        Console.WriteLine($"report aggregation: {summed} branch days summed in {sw.Elapsed.TotalSeconds:F1} s ({sw.Elapsed.TotalMilliseconds / summed:F0} ms a day, once per day at close)");
        await MeasureAsync($"{tickets:N0} tickets, 30 closed days on aggregates", reports, filter);

        // The last day live (today, or a day a late change made stale): read from its tickets, exactly.
        await using (var db = dbFactory.CreateDbContext())
            await db.DayClosures.Where(c => c.BranchId == branchId && c.Day == filter.To).ExecuteUpdateAsync(s => s.SetProperty(c => c.AggregatedAt, (DateTime?)null));
        await MeasureAsync($"{tickets:N0} tickets, 29 days on aggregates + 1 live day ({tickets / Days:N0} tickets)", reports, filter);
        await sp.DisposeAsync();
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

    /// <summary>Copies the first day's tickets to the next <paramref name="days"/> days in SQL, every instant shifted by whole days.</summary>
    static async Task CopyDaysAsync(TurnoDbContext db, DateOnly from, int days)
    {
        var entity = db.Model.FindEntityType(typeof(Ticket))!;
        var instants = entity.GetProperties().Where(p => p.ClrType == typeof(DateTime) || p.ClrType == typeof(DateTime?)).Select(p => p.GetColumnName()).ToHashSet();
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
        for (var d = 1; d <= days; d++)
        {
            string Value(string c) => c switch
            {
                "ServiceDay" => $"date(t.ServiceDay, '+{d} days')",
                "Code" => $"t.Code || '.{d}'",
                "AppointmentId" or "RequestId" => "NULL",
                "Channel" => "COALESCE((SELECT a.Channel FROM Appointments a WHERE a.Id = t.AppointmentId), t.Channel)",
                _ when instants.Contains(c) => $"strftime('%Y-%m-%d %H:%M:%f', t.\"{c}\", '+{d} days')",
                _ => $"t.\"{c}\"",
            };
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO Tickets ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {string.Join(", ", columns.Select(Value))} FROM Tickets t WHERE t.ServiceDay = '{from:yyyy-MM-dd}'");
            await tx.CommitAsync();
        }
    }

    /// <summary>Batched inserts with change detection off; each batch one transaction.</summary>
    static async Task<int> SeedAsync(TurnoDbContext db, DateOnly from, int days, int tickets)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var services = await db.Services.AsNoTracking().OrderBy(s => s.Id).ToListAsync();
        var branchId = services[0].BranchId;
        var schedulable = services.First(s => s.Mode != TurnoDigital.Core.Organization.ServiceMode.WalkIn);
        var customer = new Customer { FullName = "Bench", CreatedAt = DateTime.UtcNow };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var random = new Random(42);
        Channel[] walkIn = [Channel.Kiosk, Channel.Kiosk, Channel.Kiosk, Channel.WhatsApp, Channel.Web, Channel.Api];
        Channel[] booked = [Channel.WhatsApp, Channel.Web, Channel.InPerson, Channel.Api];
        var perDay = tickets / days;
        var seq = 0;
        // Batches of at most 5,000 tickets, so a 100,000-ticket day does not sit in one change tracker.
        var batches = Enumerable.Range(0, days).SelectMany(d => Enumerable.Range(0, perDay + (d < tickets % days ? 1 : 0)).Chunk(5_000).Select(c => (d, c)));
        foreach (var (d, chunk) in batches)
        {
            var day = from.AddDays(d);
            var open = day.ToDateTime(new TimeOnly(13, 0), DateTimeKind.Utc); // 08:00 Bogotá
            var batch = new List<(Ticket T, Appointment? A)>();
            foreach (var i in chunk)
            {
                seq++;
                var issued = open.AddSeconds(random.Next(0, 10 * 3600));
                var isAppointment = random.NextDouble() < 0.2;
                var service = isAppointment ? schedulable : services[random.Next(services.Count)];
                var roll = random.NextDouble();
                var status = roll < 0.85 ? TicketStatus.Completed : roll < 0.90 ? TicketStatus.NoShow : roll < 0.95 ? TicketStatus.Cancelled : TicketStatus.Expired;
                var called = status is TicketStatus.Completed or TicketStatus.NoShow ? issued.AddSeconds(random.Next(30, 2400)) : (DateTime?)null;
                var started = status == TicketStatus.Completed ? called!.Value.AddSeconds(random.Next(10, 90)) : (DateTime?)null;
                var t = Rows.WithKpiSeconds(Rows.Make<Ticket>(new
                {
                    BranchId = branchId, ServiceId = service.Id, ServiceDay = day, Sequence = i + 1, Number = $"B{i + 1:00000}", Code = $"BN{seq:0000000}",
                    Channel = isAppointment ? Channel.Kiosk : walkIn[random.Next(walkIn.Length)], Status = status, IssuedAt = issued, DueAt = issued,
                    FirstCalledAt = called, CalledAt = called, CallCount = called is null ? 0 : 1, StartedAt = started,
                    ClosedAt = started?.AddSeconds(random.Next(60, 1200)) ?? called ?? issued.AddHours(1),
                    Rating = status == TicketStatus.Completed && random.NextDouble() < 0.4 ? random.Next(1, 6) : (int?)null,
                    Priority = isAppointment ? PriorityClass.Appointment : PriorityClass.Ordinary,
                }));
                Appointment? a = null;
                if (isAppointment)
                    a = Rows.Make<Appointment>(new
                    {
                        Code = $"BA{seq:0000000}", BranchId = branchId, ServiceId = service.Id, CustomerId = customer.Id, Start = issued, End = issued.AddMinutes(20),
                        Status = AppointmentStatus.CheckedIn, Channel = booked[random.Next(booked.Length)], CreatedAt = issued.AddDays(-3), CheckedInAt = (DateTime?)issued,
                    });
                batch.Add((t, a));
            }
            // Appointments first (ids for the tickets and reminders), plus a share of no-shows without a ticket.
            var appointments = batch.Where(b => b.A is not null).Select(b => b.A!).ToList();
            for (var n = 0; n < appointments.Count / 4; n++)
            {
                var start = open.AddMinutes(random.Next(0, 600));
                appointments.Add(Rows.Make<Appointment>(new
                {
                    Code = $"BX{d:00}-{chunk[0]:000000}-{n:0000}", BranchId = branchId, ServiceId = schedulable.Id, CustomerId = customer.Id, Start = start, End = start.AddMinutes(20),
                    Status = AppointmentStatus.NoShow, Channel = booked[random.Next(booked.Length)], CreatedAt = start.AddDays(-3),
                }));
            }
            db.Appointments.AddRange(appointments);
            await db.SaveChangesAsync();
            foreach (var (t, a) in batch) if (a is not null) Rows.Set(t, new { AppointmentId = (long?)a.Id });
            db.Tickets.AddRange(batch.Select(b => b.T));
            db.Outbox.AddRange(appointments.Where(_ => random.NextDouble() < 0.8).Select(a => new OutboxMessage
            {
                DedupeKey = $"bench-reminder-{a.Id}", To = "573001234567", Kind = MessageKind.ReminderDayBefore, Content = "{}",
                Status = random.NextDouble() < 0.85 ? OutboxStatus.Delivered : OutboxStatus.Failed, CreatedAt = a.Start.AddDays(-1), NextAttemptAt = a.Start.AddDays(-1),
                AppointmentId = a.Id, BranchId = branchId,
            }).Select(o => { if (o.Status == OutboxStatus.Delivered) o.DeliveredAt = o.CreatedAt.AddMinutes(1); return o; }));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return branchId;
    }
}
