using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Reporting;

namespace TurnoDigital.Core.Supervision;

/// <summary>One service in one hour: arrivals forecast (per hour), the load in Erlangs and the agents Erlang C asks for.</summary>
/// <param name="Observed">Average arrivals in that hour on the same weekday of the last weeks, appointments excluded.</param>
/// <param name="Appointments">Appointments expected: the usual number, or those already booked for the coming day if more.</param>
public sealed record StaffingCell(int ServiceId, double Observed, double Appointments, double Erlangs, int Needed, double ServiceLevel)
{
    public double Arrivals => Observed + Appointments;
}

/// <summary>One local hour [Hour:00, Hour+1:00): per service, the sum of agents needed, arrivals by channel, agents signed in on average.</summary>
public sealed record StaffingHour(int Hour, IReadOnlyList<StaffingCell> Services, IReadOnlyDictionary<Channel, double> ArrivalsByChannel, double SignedIn)
{
    public int Needed => Services.Sum(s => s.Needed);
}

/// <summary>A service's inputs: handle time (call to close, averaged over the weeks; the default time when none) and its targets.</summary>
public sealed record StaffingService(int Id, string Name, double HandleMinutes, bool HandleObserved, int TargetWaitMinutes, int TargetServiceLevelPercent);

public sealed record StaffingForecast(int BranchId, string BranchName, string TimeZoneId, DayOfWeek Weekday, int Weeks, DateOnly ComingDay,
    IReadOnlyList<DateOnly> ObservedDays, IReadOnlyList<StaffingService> Services, IReadOnlyList<StaffingHour> Hours);

/// <summary>
/// The staffing forecast of a branch for a weekday (issue 15 §5): arrivals per hour and service observed on the same
/// weekday over the last weeks (each visit's segments: a transfer is an arrival at the new service), appointments booked
/// for the coming such day added, handle times → agents per hour by Erlang C, each service as its own group of agents,
/// next to the agents who were signed in.
/// </summary>
public sealed class StaffingQueries(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultWeeks = 8, MaxWeeks = 26;

    public async Task<StaffingForecast?> ForecastAsync(int branchId, DayOfWeek weekday, int weeks = DefaultWeeks, CancellationToken ct = default)
    {
        weeks = Math.Clamp(weeks, 1, MaxWeeks);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().Include(b => b.Hours).FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return null;
        var zone = branch.Zone;
        var today = BranchTime.LocalDay(clock.GetUtcNow().UtcDateTime, zone);
        var coming = today.AddDays(((int)weekday - (int)today.DayOfWeek + 7) % 7);
        var days = Enumerable.Range(1, weeks).Select(w => coming.AddDays(-7 * w)).Where(d => d < today).ToList();
        int Hour(DateTime utc) => BranchTime.ToLocal(utc, zone).Hour;

        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId && s.IsActive).OrderBy(s => s.Prefix).ToListAsync(ct);
        // Each day's segments per service, channel and hour: summed days from their aggregates, the others (a day a late change made
        // stale, history not summed yet) from their tickets through the same sums, as the report does.
        var summed = await db.DayClosures.Where(c => c.BranchId == branchId && days.Contains(c.Day) && c.AggregatedAt != null).Select(c => c.Day).ToListAsync(ct);
        var sums = await db.DailyAggregates.AsNoTracking().Where(a => a.BranchId == branchId && summed.Contains(a.Day))
            .Select(a => new DailyAggregate { BranchId = a.BranchId, Day = a.Day, ServiceId = a.ServiceId, Channel = a.Channel, SegmentStarts = a.SegmentStarts,
                AppointmentSegmentStarts = a.AppointmentSegmentStarts, HandleTicks = a.HandleTicks, Handled = a.Handled })
            .ToDictionaryAsync(a => (a.BranchId, a.Day, a.ServiceId, a.Channel), ct);
        await DailyAggregates.AddStaffingAsync(db, branchId, zone, days.Except(summed).ToList(), sums, ct);
        var arrivals = sums.Values.Select(a => new Arrivals(a, DailyAggregate.ParseArrivals(a.SegmentStarts), DailyAggregate.ParseArrivals(a.AppointmentSegmentStarts)))
            .Where(a => a.WalkIns.Sum() + a.Appointments.Sum() > 0).ToList();

        var (dayStart, dayEnd) = LocalDays.Range(coming, coming, zone);
        var booked = (await db.Appointments.AsNoTracking()
                .Where(a => a.BranchId == branchId && a.Status == AppointmentStatus.Booked && a.Start >= dayStart && a.Start < dayEnd)
                .Select(a => new { a.ServiceId, a.Start }).ToListAsync(ct))
            .GroupBy(a => (a.ServiceId, Hour(a.Start))).ToDictionary(g => g.Key, g => g.Count());

        var (from, to) = days.Count == 0 ? (DateTime.MinValue, DateTime.MinValue) : LocalDays.Range(days.Min(), days.Max(), zone);
        var sessions = await db.CounterSessions.AsNoTracking()
            .Where(s => s.BranchId == branchId && s.StartedAt < to && (s.EndedAt ?? s.LastSeenAt) > from)
            .Select(s => new { s.AgentId, s.StartedAt, Until = s.EndedAt ?? s.LastSeenAt }).ToListAsync(ct);

        var handle = services.ToDictionary(s => s.Id, s =>
        {
            var (ticks, count) = sums.Values.Where(a => a.ServiceId == s.Id).Aggregate((Ticks: 0L, Count: 0), (t, a) => (t.Ticks + a.HandleTicks, t.Count + a.Handled));
            return new StaffingService(s.Id, s.Name, count == 0 ? s.DefaultServiceMinutes : ticks / (double)TimeSpan.TicksPerMinute / count, count > 0,
                s.TargetWaitMinutes, s.TargetServiceLevelPercent);
        });

        // Days the branch worked (a holiday or the weeks before it started do not dilute the averages).
        var worked = arrivals.Select(a => a.Cell.Day).Distinct().Order().ToList();
        var perDay = Math.Max(1, worked.Count);
        var busy = Enumerable.Range(0, 24).Where(h => arrivals.Any(a => a.WalkIns[h] + a.Appointments[h] > 0));
        var hours = HoursOf(branch, weekday, busy.Concat(booked.Keys.Select(k => k.Item2)));
        var result = hours.Select(h =>
        {
            var cells = services.Select(s =>
            {
                var observed = arrivals.Where(a => a.Cell.ServiceId == s.Id).Sum(a => a.WalkIns[h]) / (double)perDay;
                var appointments = Math.Max(arrivals.Where(a => a.Cell.ServiceId == s.Id).Sum(a => a.Appointments[h]) / (double)perDay, booked.GetValueOrDefault((s.Id, h)));
                var inputs = handle[s.Id];
                var (perHour, seconds) = (observed + appointments, inputs.HandleMinutes * 60);
                var needed = ErlangC.AgentsNeeded(perHour, seconds, inputs.TargetWaitMinutes * 60, inputs.TargetServiceLevelPercent / 100.0);
                var erlangs = ErlangC.Erlangs(perHour, seconds);
                return new StaffingCell(s.Id, observed, appointments, erlangs, needed, ErlangC.ServiceLevel(needed, erlangs, seconds, inputs.TargetWaitMinutes * 60));
            }).ToList();
            var channels = arrivals.GroupBy(a => a.Cell.Channel).Select(g => (g.Key, N: g.Sum(a => a.WalkIns[h] + a.Appointments[h])))
                .Where(c => c.N > 0).ToDictionary(c => c.Key, c => c.N / (double)perDay);
            // Agents with a desk open during the hour, averaged over the observed days.
            var signedIn = worked.Sum(d =>
            {
                var start = TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(new TimeOnly(h, 0)), zone);
                return sessions.Where(s => s.StartedAt < start.AddHours(1) && s.Until > start).Select(s => s.AgentId).Distinct().Count();
            }) / (double)perDay;
            return new StaffingHour(h, cells, channels, signedIn);
        }).ToList();
        return new StaffingForecast(branch.Id, branch.Name, branch.TimeZoneId, weekday, weeks, coming, worked, services.Select(s => handle[s.Id]).ToList(), result);
    }

    /// <summary>The weekday's opening hours, widened to any hour that had arrivals or bookings.</summary>
    static List<int> HoursOf(Organization.Branch branch, DayOfWeek weekday, IEnumerable<int> busy)
    {
        var open = branch.Hours.Where(x => x.Day == weekday && x.ClosesAtMinute > x.OpensAtMinute)
            .SelectMany(x => Enumerable.Range(x.OpensAtMinute / 60, (x.ClosesAtMinute - 1) / 60 - x.OpensAtMinute / 60 + 1));
        return open.Concat(busy).Distinct().Order().ToList();
    }

    /// <summary>A cell's segments by local hour, without and with an appointment.</summary>
    sealed record Arrivals(DailyAggregate Cell, int[] WalkIns, int[] Appointments);
}

/// <summary>The forecast as CSV in the reports' format (<see cref="Reporting.ChannelReportCsv"/>): one row per hour and service, then the hour's total.</summary>
public static class StaffingCsv
{
    public static readonly string[] Header =
    [
        "hora", "servicio", "llegadas_sin_cita", "citas", "llegadas", "atencion_min", "espera_objetivo_min", "nivel_objetivo_pct",
        "erlangs", "asesores_necesarios", "nivel_servicio_pct", "asesores_conectados",
    ];

    public static string Write(StaffingForecast f)
    {
        static string N(double v, string format = "0.00") => v.ToString(format, Reporting.ReportFormat.Culture);
        var services = f.Services.ToDictionary(s => s.Id);
        var rows = f.Hours.SelectMany(h => h.Services.Select(c =>
        {
            var s = services[c.ServiceId];
            return new[] { $"{h.Hour:00}:00", s.Name, N(c.Observed), N(c.Appointments), N(c.Arrivals), N(s.HandleMinutes, "0.0"), s.TargetWaitMinutes.ToString(),
                s.TargetServiceLevelPercent.ToString(), N(c.Erlangs), c.Needed.ToString(), c.Needed == 0 ? "" : N(c.ServiceLevel * 100, "0.0"), "" };
        }).Append([$"{h.Hour:00}:00", "Total", N(h.Services.Sum(c => c.Observed)), N(h.Services.Sum(c => c.Appointments)), N(h.Services.Sum(c => c.Arrivals)),
            "", "", "", N(h.Services.Sum(c => c.Erlangs)), h.Needed.ToString(), "", N(h.SignedIn, "0.0")]));
        return Reporting.ChannelReportCsv.Csv(Header, rows);
    }
}
