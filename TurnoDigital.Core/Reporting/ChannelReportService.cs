using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Core.Reporting;

/// <summary>Bad report input; the message is shown to the user (400).</summary>
public sealed class ReportInputException(string code, params object?[] args) : DomainException(code, args);

/// <summary>The user asked for a branch they may not see (403).</summary>
public sealed class ReportForbiddenException(string code, params object?[] args) : DomainException(code, args);

/// <summary>
/// The channel report (KPI-DEFINITIONS.md) from per-day cells (<see cref="DailyAggregate"/>): stored for closed days, computed from
/// the tickets through <see cref="KpiQueries"/> (the panel's too) for the rest. Local times: every row is bucketed in its own
/// branch's time zone (ServiceDay is already local; hours come back as UTC quarter-hours and are converted per branch).
/// </summary>
public sealed class ChannelReportService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, Supervision.StaffingQueries staffing)
{
    /// <summary>The branches a user may report on (<see cref="Identity.BranchAccess"/>).</summary>
    public async Task<IReadOnlyList<ReportBranch>> AllowedBranchesAsync(string? userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var allowed = await Identity.BranchAccess.AllowedAsync(db, userId, isAdmin, ct);
        var all = allowed is null;
        var ids = allowed ?? [];
        return await db.Branches.AsNoTracking().Where(b => all || ids.Contains(b.Id)).OrderBy(b => b.Name)
            .Select(b => new ReportBranch(b.Id, b.Name, b.TimeZoneId)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<(int Id, int BranchId, string Name)>> ServicesAsync(IReadOnlyList<int> branchIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Services.AsNoTracking().Where(s => branchIds.Contains(s.BranchId)).OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.BranchId, s.Name }).ToListAsync(ct)).Select(s => (s.Id, s.BranchId, s.Name)).ToList();
    }

    /// <summary>
    /// Raw query strings → a filter the user may run. Empty branches = every branch the user may see.
    /// Throws <see cref="ReportInputException"/> (400) or <see cref="ReportForbiddenException"/> (403).
    /// </summary>
    public async Task<ReportFilter> ResolveAsync(string? from, string? to, IEnumerable<string?>? branchIds, IEnumerable<string?>? serviceIds,
        string? userId, bool isAdmin, CancellationToken ct = default)
    {
        var fromDay = ParseDay(from, "Report.BadFromDay");
        var toDay = ParseDay(to, "Report.BadToDay");
        if (fromDay > toDay) throw new ReportInputException("Report.FromAfterTo");
        if (toDay.DayNumber - fromDay.DayNumber + 1 > ReportFilter.MaxDays)
            throw new ReportInputException("Report.PeriodTooLong", ReportFilter.MaxDays);
        var branches = ParseIds(branchIds, branches: true);
        var services = ParseIds(serviceIds, branches: false);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await db.Branches.Where(b => branches.Contains(b.Id)).Select(b => b.Id).ToListAsync(ct);
        if (known.Count != branches.Count) throw new ReportInputException("Report.BranchNotFound");
        var allowed = (await AllowedBranchesAsync(userId, isAdmin, ct)).Select(b => b.Id).ToList();
        if (branches.Any(b => !allowed.Contains(b))) throw new ReportForbiddenException("Report.BranchForbidden");
        if (branches.Count == 0) branches = allowed;
        if (branches.Count == 0) throw new ReportInputException("Report.NoBranches");
        if (services.Count > 0 && await db.Services.CountAsync(s => services.Contains(s.Id) && branches.Contains(s.BranchId), ct) != services.Count)
            throw new ReportInputException("Report.ServiceNotInBranches");
        return new ReportFilter(fromDay, toDay, branches, services);
    }

    static DateOnly ParseDay(string? raw, string errorCode) =>
        DateOnly.TryParseExact(raw?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new ReportInputException(errorCode);

    static List<int> ParseIds(IEnumerable<string?>? raw, bool branches)
    {
        var ids = new List<int>();
        foreach (var part in (raw ?? []).SelectMany(r => (r ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                throw new ReportInputException(branches ? "Report.BadBranchId" : "Report.BadServiceId", Truncate(part));
            if (!ids.Contains(id)) ids.Add(id);
        }
        if (ids.Count > 200) throw new ReportInputException(branches ? "Report.TooManyBranches" : "Report.TooManyServices");
        return ids;
    }

    static string Truncate(string s) => s.Length > 20 ? s[..20] + "…" : s;

    public async Task<ChannelReport> ComputeAsync(ReportFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var branchIds = filter.BranchIds.ToList();
        var serviceIds = filter.ServiceIds.ToList();
        var branches = await db.Branches.Where(b => branchIds.Contains(b.Id)).OrderBy(b => b.Name)
            .Select(b => new ReportBranch(b.Id, b.Name, b.TimeZoneId)).ToListAsync(ct);
        var serviceInfo = await db.Services.Where(s => branchIds.Contains(s.BranchId) && (serviceIds.Count == 0 || serviceIds.Contains(s.Id)))
            .Select(s => new { s.Id, s.Name, s.BranchId, s.TargetWaitMinutes, s.TargetServiceLevelPercent }).ToListAsync(ct);

        // 1. Closed days already summed (DailyAggregates) come from their rows; the others (today, a day a late change made stale,
        // history not summed yet) from their tickets, through the same sums. Percentiles are exact when every day is live.
        var from = filter.From;
        var to = filter.To;
        var storedDays = (await db.DayClosures.Where(c => branchIds.Contains(c.BranchId) && c.Day >= from && c.Day <= to && c.AggregatedAt != null)
            .Select(c => new { c.BranchId, c.Day }).ToListAsync(ct)).Select(c => (c.BranchId, c.Day)).ToHashSet();
        var cells = new List<DailyAggregate>();
        if (storedDays.Count > 0)
            cells.AddRange((await db.DailyAggregates.Where(a => branchIds.Contains(a.BranchId) && a.Day >= from && a.Day <= to
                    && (serviceIds.Count == 0 || serviceIds.Contains(a.ServiceId))).ToListAsync(ct))
                .Where(a => storedDays.Contains((a.BranchId, a.Day))));
        var live = branches.Select(b => (b.Id, Zone: BranchTime.Zone(b.TimeZoneId),
            Days: Enumerable.Range(0, filter.Days).Select(i => from.AddDays(i)).Where(d => !storedDays.Contains((b.Id, d))).ToList())).Where(b => b.Days.Count > 0).ToList();
        DaySums? liveSums = null;
        if (live.Count > 0)
        {
            liveSums = await DailyAggregates.ComputeAsync(db, live.Select(b => (b.Id, b.Zone)).ToList(), live.Min(b => b.Days[0]), live.Max(b => b.Days[^1]), serviceIds, ct);
            cells.AddRange(liveSums.Cells.Where(a => !storedDays.Contains((a.BranchId, a.Day))));
        }
        var (byChannel, byService, total) = KpiQueries.Rows(cells);
        if (storedDays.Count == 0 && liveSums is not null) KpiQueries.SetPercentiles(liveSums.Visits, liveSums.Segments, byChannel, byService, total);
        else DailyAggregates.SetPercentiles(cells, byChannel, byService, total);

        // ---- Assemble ----
        var serviceLabel = serviceInfo.ToDictionary(s => s.Id, s => branches.Count > 1
            ? $"{s.Name} · {branches.FirstOrDefault(b => b.Id == s.BranchId)?.Name}" : s.Name);
        total.Label = "Total";
        foreach (var (c, row) in byChannel) row.Label = ChannelReport.ChannelName(c);
        foreach (var row in byService.Values)
        {
            var info = serviceInfo.FirstOrDefault(s => s.Id == row.ServiceId);
            row.Label = serviceLabel.GetValueOrDefault(row.ServiceId!.Value, $"Servicio {row.ServiceId}");
            (row.TargetWaitMinutes, row.ServiceLevelGoalPercent) = (info?.TargetWaitMinutes, info?.TargetServiceLevelPercent);
        }
        foreach (var row in byChannel.Values.Concat(byService.Values))
            row.Share = total.Visits == 0 ? 0 : (double)row.Visits / total.Visits;
        total.Share = total.Visits == 0 ? 0 : 1;

        var demand = new int[7, 24];
        var days = new List<DailyVolume>();
        for (var d = filter.From; d <= filter.To; d = d.AddDays(1)) days.Add(new DailyVolume(d, new int[ChannelReport.Channels.Length]));
        foreach (var a in cells)
        {
            // A ticket is issued on its service day, so the day's weekday is its arrival's.
            var hours = DailyAggregate.ParseArrivals(a.Arrivals);
            for (var h = 0; h < 24; h++) demand[((int)a.Day.DayOfWeek + 6) % 7, h] += hours[h];
            days[a.Day.DayNumber - filter.From.DayNumber].PerChannel[(int)a.Channel] += a.Visits;
        }

        var firstZone = BranchTime.Zone(branches.FirstOrDefault()?.TimeZoneId);
        var now = clock.GetUtcNow();
        // The staffing page: per branch (the first few), the forecast for the weekday with the most visits on the range's
        // finished days (today's morning alone says little about its weekday).
        var today = BranchTime.LocalDay(now.UtcDateTime, firstZone);
        var busiest = days.Where(d => d.Day < today).GroupBy(d => d.Day.DayOfWeek).Select(g => (Day: g.Key, N: g.Sum(d => d.PerChannel.Sum())))
            .DefaultIfEmpty((Day: today.DayOfWeek, N: 0)).MaxBy(x => x.N).Day;
        var forecasts = new List<Supervision.StaffingForecast>();
        foreach (var b in branches.Take(ChannelReport.MaxStaffingBranches))
            if (await staffing.ForecastAsync(b.Id, busiest, ct: ct) is { } f) forecasts.Add(f);
        return new ChannelReport
        {
            Filter = filter with { BranchIds = branches.Select(b => b.Id).ToList() },
            Branches = branches,
            ServiceNames = serviceIds.Count == 0 ? [] : serviceInfo.Select(s => serviceLabel[s.Id]).OrderBy(n => n).ToList(),
            GeneratedAt = TimeZoneInfo.ConvertTime(now, firstZone),
            ByChannel = ChannelReport.Channels.Select(c => byChannel[c]).ToList(),
            Total = total,
            ByService = byService.Values.OrderByDescending(r => r.Visits).ThenBy(r => r.Label, StringComparer.Create(CultureInfo.GetCultureInfo("es-CO"), false)).ToList(),
            Reminders = new ReminderEffect(cells.Sum(a => a.RemindedDue), cells.Sum(a => a.RemindedNoShows),
                cells.Sum(a => a.AppointmentsDue - a.RemindedDue), cells.Sum(a => a.AppointmentNoShows - a.RemindedNoShows)),
            PercentileBucketSeconds = storedDays.Count > 0 ? WaitHistogram.BucketSeconds : null,
            Demand = demand,
            Daily = days,
            Staffing = forecasts,
        };
    }

    /// <summary>Data export is a sensitive action: who exported which filter, in which format.</summary>
    public async Task AuditExportAsync(ReportFilter filter, string format, string? actorId, string? actorName, string action = AuditActions.ReportExported, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Audit.AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, actorName, action, "ChannelReport", null,
            filter.BranchIds.Count == 1 ? filter.BranchIds[0] : null,
            new { from = filter.From, to = filter.To, branches = filter.BranchIds, services = filter.ServiceIds, format });
        await db.SaveChangesAsync(ct);
    }
}
