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
/// The channel report over 30 days × 100,000 tickets in all (≈3,300 a day) with appointments, reminders and ratings:
/// report computation, PDF and CSV zip time, and the process's peak memory.
/// </summary>
static class ReportBench
{
    const int Days = 30, Tickets = 100_000;

    public static async Task RunAsync()
    {
        var (sp, _) = await Bench.CoreAsync();
        var dbFactory = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>();
        var from = new DateOnly(2026, 10, 1);
        var seedClock = Stopwatch.StartNew();
        int branchId;
        await using (var db = dbFactory.CreateDbContext())
            branchId = await SeedAsync(db, from);
        Console.WriteLine($"report seed: {Tickets:N0} tickets over {Days} days in {seedClock.Elapsed.TotalSeconds:F1} s");

        var reports = sp.GetRequiredService<ChannelReportService>();
        var filter = new ReportFilter(from, from.AddDays(Days - 1), [branchId], []);
        await reports.ComputeAsync(new ReportFilter(from, from, [branchId], [])); // warm-up: JIT, EF model, fonts
        ChannelReportPdf.Render(await reports.ComputeAsync(new ReportFilter(from, from, [branchId], [])));

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
            if (run == 0) Console.WriteLine($"report check: {report.Total.Visits:N0} visits, {report.Total.AppointmentsDue:N0} appointments due, p90 wait {report.Total.WaitP90Seconds / 60.0:F1} min");
        }
        var allocatedPerRun = (GC.GetTotalAllocatedBytes(true) - allocatedBefore) / 3;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"report compute (median of 3): {Bench.Median(compute):F0} ms  runs: {string.Join(", ", compute.Select(x => x.ToString("F0")))}");
        Console.WriteLine($"report PDF (median of 3): {Bench.Median(pdf):F0} ms, {pdfBytes / 1024} KiB  runs: {string.Join(", ", pdf.Select(x => x.ToString("F0")))}");
        Console.WriteLine($"report CSV zip (median of 3): {Bench.Median(csv):F0} ms  runs: {string.Join(", ", csv.Select(x => x.ToString("F0")))}");
        Console.WriteLine($"report memory: peak working set {process.PeakWorkingSet64 / 1048576} MiB (whole process, seeding included), managed heap peak seen {heapPeak / 1048576} MiB, allocated per report (compute+PDF+CSV) {allocatedPerRun / 1048576} MiB");
        await sp.DisposeAsync();
    }

    /// <summary>Batched inserts with change detection off; each batch one transaction.</summary>
    static async Task<int> SeedAsync(TurnoDbContext db, DateOnly from)
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
        var perDay = Tickets / Days;
        var seq = 0;
        for (var d = 0; d < Days; d++)
        {
            var day = from.AddDays(d);
            var open = day.ToDateTime(new TimeOnly(13, 0), DateTimeKind.Utc); // 08:00 Bogotá
            var batch = new List<(Ticket T, Appointment? A)>();
            for (var i = 0; i < perDay + (d < Tickets % Days ? 1 : 0); i++)
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
                    Code = $"BX{d:00}{n:00000}", BranchId = branchId, ServiceId = schedulable.Id, CustomerId = customer.Id, Start = start, End = start.AddMinutes(20),
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
