using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Reporting;

/// <summary>A range's <see cref="DailyAggregate"/> cells and, for exact percentiles, the seconds they were made from.</summary>
public sealed record DaySums(List<DailyAggregate> Cells, List<KpiQueries.VisitSeconds> Visits, List<KpiQueries.SegmentSeconds> Segments);

/// <summary>
/// Daily pre-aggregates for the channel report: once a branch's day is closed (<see cref="DayClosure"/>) its sums are stored, one
/// <see cref="DailyAggregate"/> per service and channel, and <see cref="DayClosure.AggregatedAt"/> says so. A late change to that day
/// (<see cref="LateChangeInterceptor"/>) clears the stamp in its own save, so the report reads that day from its tickets again until
/// this refreshes it. History closed before this existed has no stamp either: the first runs fill it, newest days first.
/// </summary>
public sealed class DailyAggregates(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, ILogger<DailyAggregates> log)
{
    /// <summary>Days summed per run, so a long history is filled over a few runs without one long job.</summary>
    public const int DaysPerRun = 60;

    /// <summary>Stores the sums of closed days without a stamp. Idempotent; returns the days stored.</summary>
    public async Task<int> RefreshAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.DayClosures.AsNoTracking().Where(c => c.AggregatedAt == null).OrderByDescending(c => c.Day).Take(DaysPerRun)
            .Select(c => new { c.Id, c.BranchId, c.Day, c.LateChanges }).ToListAsync(ct);
        var zones = await db.Branches.AsNoTracking().Select(b => new { b.Id, b.TimeZoneId }).ToDictionaryAsync(b => b.Id, b => BranchTime.Zone(b.TimeZoneId), ct);
        var stored = 0;
        foreach (var c in pending)
        {
            await using var dayDb = await dbFactory.CreateDbContextAsync(ct);
            var stamp = clock.GetUtcNow().UtcDateTime;
            var cells = (await ComputeAsync(dayDb, [(c.BranchId, zones[c.BranchId])], c.Day, c.Day, [], ct)).Cells
                .ToDictionary(a => (a.BranchId, a.Day, a.ServiceId, a.Channel));
            await AddStaffingAsync(dayDb, c.BranchId, zones[c.BranchId], [c.Day], cells, ct);
            await using var tx = await dayDb.Database.BeginTransactionAsync(ct);
            await dayDb.DailyAggregates.Where(a => a.BranchId == c.BranchId && a.Day == c.Day).ExecuteDeleteAsync(ct);
            dayDb.DailyAggregates.AddRange(cells.Values);
            await dayDb.SaveChangesAsync(ct);
            // A late change saved while this computed counted up LateChanges: the stamp stays empty and the next run sums it again.
            var fresh = await dayDb.DayClosures.Where(x => x.Id == c.Id && x.LateChanges == c.LateChanges)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.AggregatedAt, stamp), ct);
            await tx.CommitAsync(ct);
            if (fresh == 1) stored++;
        }
        if (stored > 0) log.LogInformation("Daily aggregates stored for {Days} branch days", stored);
        return stored;
    }

    /// <summary>
    /// The cells of some branches over local days [from, to] from their tickets and appointments: <see cref="KpiQueries.SumsAsync"/>,
    /// histograms of the seconds, arrivals per local hour, appointments due. The job stores them; the report uses them for live days.
    /// </summary>
    public static async Task<DaySums> ComputeAsync(TurnoDbContext db, IReadOnlyList<(int Id, TimeZoneInfo Zone)> branches, DateOnly from, DateOnly to,
        IReadOnlyList<int> serviceIds, CancellationToken ct = default)
    {
        var branchIds = branches.Select(b => b.Id).ToList();
        var services = serviceIds.ToList();
        var scope = new KpiScope(branchIds, from, to, services);
        var cells = (await KpiQueries.SumsAsync(db, scope, ct)).ToDictionary(a => (a.BranchId, a.Day, a.ServiceId, a.Channel));
        DailyAggregate Cell(int branchId, DateOnly day, int serviceId, Channel channel) =>
            cells.TryGetValue((branchId, day, serviceId, channel), out var a) ? a
                : cells[(branchId, day, serviceId, channel)] = new DailyAggregate { BranchId = branchId, Day = day, ServiceId = serviceId, Channel = channel };

        var (visits, segments) = await KpiQueries.SecondsAsync(db, scope, ct);
        var histograms = new Dictionary<DailyAggregate, (WaitHistogram Visit, WaitHistogram Segment, WaitHistogram Service)>();
        (WaitHistogram Visit, WaitHistogram Segment, WaitHistogram Service) Of(DailyAggregate a) =>
            histograms.TryGetValue(a, out var h) ? h : histograms[a] = (new(), new(), new());
        foreach (var v in visits)
        {
            var h = Of(Cell(v.BranchId, v.Day, v.ServiceId, v.Channel));
            if (v.Visit is { } visit) h.Visit.Add(visit);
            if (v.Wait is { } wait) h.Segment.Add(wait);
            if (v.Service is { } service) h.Service.Add(service);
        }
        foreach (var s in segments)
        {
            var h = Of(Cell(s.BranchId, s.Day, s.ServiceId, s.Channel));
            if (s.Wait is { } wait) h.Segment.Add(wait);
            if (s.Service is { } service) h.Service.Add(service);
        }
        foreach (var (a, h) in histograms)
            (a.VisitWaits, a.SegmentWaits, a.ServiceTimes) = (h.Visit.ToString(), h.Segment.ToString(), h.Service.ToString());

        // Arrivals per UTC quarter-hour, turned into local hours per branch (exact for any offset or DST).
        var zones = branches.ToDictionary(b => b.Id, b => b.Zone);
        var quarters = await KpiQueries.Tickets(db, scope).Where(t => t.Status != TicketStatus.NotArrived && (services.Count == 0 || services.Contains(t.ServiceId)))
            .GroupBy(t => new { t.BranchId, t.ServiceDay, Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, t.ServiceId, t.IssuedAt.Date, t.IssuedAt.Hour, Quarter = t.IssuedAt.Minute / 15 })
            .Select(g => new { g.Key.BranchId, g.Key.ServiceDay, g.Key.Channel, g.Key.ServiceId, g.Key.Date, g.Key.Hour, g.Key.Quarter, N = g.Count() }).ToListAsync(ct);
        var arrivals = new Dictionary<DailyAggregate, int[]>();
        foreach (var q in quarters)
        {
            var cell = Cell(q.BranchId, q.ServiceDay, q.ServiceId, q.Channel);
            var hours = arrivals.TryGetValue(cell, out var h) ? h : arrivals[cell] = new int[24];
            hours[BranchTime.ToLocal(DateTime.SpecifyKind(q.Date, DateTimeKind.Utc).AddHours(q.Hour).AddMinutes(q.Quarter * 15), zones[q.BranchId]).Hour] += q.N;
        }
        foreach (var (cell, hours) in arrivals) cell.Arrivals = DailyAggregate.FormatArrivals(hours);

        // Appointments due (checked in or no-show; cancelled ones excluded) by their local start day, per branch for its zone.
        foreach (var (branchId, zone) in branches)
        {
            var startUtc = TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), zone);
            var endUtc = TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
            var due = db.Appointments.AsNoTracking().Where(a => a.BranchId == branchId && a.Start >= startUtc && a.Start < endUtc
                && (a.Status == AppointmentStatus.CheckedIn || a.Status == AppointmentStatus.NoShow));
            if (services.Count > 0) due = due.Where(a => services.Contains(a.ServiceId));
            var reminded = due.Where(a => db.Outbox.Any(o => o.AppointmentId == a.Id && o.DeliveredAt != null
                && (o.Kind == MessageKind.ReminderDayBefore || o.Kind == MessageKind.ReminderSameDay)));
            foreach (var (query, withReminder) in new[] { (due, false), (reminded, true) })
            {
                var groups = await query.GroupBy(a => new { a.Channel, a.ServiceId, a.Status, a.Start.Date, a.Start.Hour, Quarter = a.Start.Minute / 15 })
                    .Select(g => new { g.Key.Channel, g.Key.ServiceId, g.Key.Status, g.Key.Date, g.Key.Hour, g.Key.Quarter, N = g.Count() }).ToListAsync(ct);
                foreach (var g in groups)
                {
                    var day = BranchTime.LocalDay(DateTime.SpecifyKind(g.Date, DateTimeKind.Utc).AddHours(g.Hour).AddMinutes(g.Quarter * 15), zone);
                    var cell = Cell(branchId, day, g.ServiceId, g.Channel);
                    var noShows = g.Status == AppointmentStatus.NoShow ? g.N : 0;
                    if (withReminder) { cell.RemindedDue += g.N; cell.RemindedNoShows += noShows; }
                    else { cell.AppointmentsDue += g.N; cell.AppointmentNoShows += noShows; }
                }
            }
        }
        return new DaySums(cells.Values.ToList(), visits, segments);
    }

    /// <summary>
    /// Fills the staffing inputs (<see cref="DailyAggregate.SegmentStarts"/>…) of a branch's days from their tickets, into
    /// <paramref name="cells"/> (added when missing): the job stores them, <see cref="Supervision.StaffingQueries"/> reads days not summed
    /// through here. Every segment of every ticket counts, whatever its status; a transfer is an arrival at the new service.
    /// </summary>
    public static async Task AddStaffingAsync(TurnoDbContext db, int branchId, TimeZoneInfo zone, IReadOnlyList<DateOnly> days,
        Dictionary<(int BranchId, DateOnly Day, int ServiceId, Channel Channel), DailyAggregate> cells, CancellationToken ct = default)
    {
        if (days.Count == 0) return;
        var list = days.ToList();
        var current = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && list.Contains(t.ServiceDay))
            .Select(t => new StaffingSegment(t.ServiceDay, t.ServiceId, t.Channel, t.AppointmentId != null, t.SegmentFrom ?? t.DueAt, t.SegmentCalledAt ?? t.FirstCalledAt,
                t.Status == TicketStatus.Completed && !t.ClosedBySystem ? t.ClosedAt : null)).ToListAsync(ct);
        var closed = await db.TicketSegments.AsNoTracking()
            .Join(db.Tickets.Where(t => t.BranchId == branchId && list.Contains(t.ServiceDay)), s => s.TicketId, t => t.Id,
                (s, t) => new StaffingSegment(t.ServiceDay, s.ServiceId, t.Channel, t.AppointmentId != null, s.WaitFrom, s.CalledAt, s.CalledAt == null ? null : s.EndedAt))
            .ToListAsync(ct);
        var hours = new Dictionary<DailyAggregate, (int[] WalkIns, int[] Appointments)>();
        foreach (var s in current.Concat(closed))
        {
            var key = (branchId, s.Day, s.ServiceId, s.Channel);
            var cell = cells.TryGetValue(key, out var a) ? a : cells[key] = new DailyAggregate { BranchId = branchId, Day = s.Day, ServiceId = s.ServiceId, Channel = s.Channel };
            var h = hours.TryGetValue(cell, out var x) ? x : hours[cell] = (new int[24], new int[24]);
            (s.Appointment ? h.Appointments : h.WalkIns)[BranchTime.ToLocal(s.From, zone).Hour]++;
            if (s.CalledAt is { } called && s.CompletedAt is { } completed && completed > called)
            {
                cell.HandleTicks += (completed - called).Ticks;
                cell.Handled++;
            }
        }
        foreach (var (cell, h) in hours)
            (cell.SegmentStarts, cell.AppointmentSegmentStarts) = (DailyAggregate.FormatArrivals(h.WalkIns), DailyAggregate.FormatArrivals(h.Appointments));
    }

    sealed record StaffingSegment(DateOnly Day, int ServiceId, Channel Channel, bool Appointment, DateTime From, DateTime? CalledAt, DateTime? CompletedAt);

    /// <summary>Percentiles merged from the cells' per-day histograms: per channel and in total the visits', per service its segments'.</summary>
    public static void SetPercentiles(IEnumerable<DailyAggregate> cells, IReadOnlyDictionary<Channel, KpiRow> byChannel, IReadOnlyDictionary<int, KpiRow> byService, KpiRow total)
    {
        var channels = new Dictionary<Channel, WaitHistogram>();
        var services = new Dictionary<int, WaitHistogram>();
        var all = new WaitHistogram();
        foreach (var a in cells)
        {
            (channels.TryGetValue(a.Channel, out var c) ? c : channels[a.Channel] = new()).Merge(a.VisitWaits);
            (services.TryGetValue(a.ServiceId, out var s) ? s : services[a.ServiceId] = new()).Merge(a.SegmentWaits);
            all.Merge(a.VisitWaits);
        }
        static void Set(KpiRow row, WaitHistogram h) => (row.WaitP50Seconds, row.WaitP90Seconds) = (h.Percentile(50), h.Percentile(90));
        foreach (var (channel, h) in channels) Set(byChannel[channel], h);
        foreach (var (service, h) in services) if (byService.TryGetValue(service, out var row)) Set(row, h);
        Set(total, all);
    }
}

/// <summary>Stores the daily aggregates of newly closed days and of days a late change made stale (<see cref="DailyAggregates"/>).</summary>
[DisallowConcurrentExecution]
public sealed class AggregateDaysJob(DailyAggregates aggregates) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await aggregates.RefreshAsync(ct);
}
