using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Core.Reporting;

/// <summary>Bad report input; the message is shown to the user (400).</summary>
public sealed class ReportInputException(string code, params object?[] args) : DomainException(code, args);

/// <summary>The user asked for a branch they may not see (403).</summary>
public sealed class ReportForbiddenException(string code, params object?[] args) : DomainException(code, args);

/// <summary>
/// The channel report (KPI-DEFINITIONS.md): ticket figures from <see cref="KpiQueries"/> (the panel's too), appointments and
/// reminders from their own aggregates. Local times: every row is bucketed in its own
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

        // 1. The ticket KPIs from the one query layer the panel uses too.
        var kpis = await KpiQueries.ComputeAsync(db, new KpiScope(branchIds, filter.From, filter.To, serviceIds), ct);
        var visits = KpiQueries.Tickets(db, new KpiScope(branchIds, filter.From, filter.To, serviceIds)).Where(t => t.Status != TicketStatus.NotArrived);
        if (serviceIds.Count > 0) visits = visits.Where(t => serviceIds.Contains(t.ServiceId));

        // 2. Visits per local day and channel.
        var daily = await visits.GroupBy(t => new { t.ServiceDay, Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel })
            .Select(g => new { g.Key.ServiceDay, g.Key.Channel, N = g.Count() }).ToListAsync(ct);

        // 3. Arrivals per branch and UTC quarter-hour, turned into local weekday × hour below (exact for any offset or DST).
        var quarters = await visits.GroupBy(t => new { t.BranchId, t.IssuedAt.Date, t.IssuedAt.Hour, Quarter = t.IssuedAt.Minute / 15 })
            .Select(g => new { g.Key.BranchId, g.Key.Date, g.Key.Hour, g.Key.Quarter, N = g.Count() }).ToListAsync(ct);

        // 4. Appointments due in the range, per branch because the range is local to each branch.
        var appointments = new List<(Channel Channel, int ServiceId, bool NoShow, bool Reminded, int N)>();
        foreach (var b in branches)
        {
            var zone = BranchTime.Zone(b.TimeZoneId);
            var startUtc = TimeZoneInfo.ConvertTimeToUtc(filter.From.ToDateTime(TimeOnly.MinValue), zone);
            var endUtc = TimeZoneInfo.ConvertTimeToUtc(filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
            var due = db.Appointments.Where(a => a.BranchId == b.Id && a.Start >= startUtc && a.Start < endUtc
                && (a.Status == AppointmentStatus.CheckedIn || a.Status == AppointmentStatus.NoShow));
            if (serviceIds.Count > 0) due = due.Where(a => serviceIds.Contains(a.ServiceId));
            var all = await due.GroupBy(a => new { a.Channel, a.ServiceId, a.Status }).Select(g => new { g.Key.Channel, g.Key.ServiceId, g.Key.Status, N = g.Count() }).ToListAsync(ct);
            var reminded = await due.Where(a => db.Outbox.Any(o => o.AppointmentId == a.Id && o.DeliveredAt != null
                    && (o.Kind == MessageKind.ReminderDayBefore || o.Kind == MessageKind.ReminderSameDay)))
                .GroupBy(a => new { a.Channel, a.ServiceId, a.Status }).Select(g => new { g.Key.Channel, g.Key.ServiceId, g.Key.Status, N = g.Count() }).ToListAsync(ct);
            foreach (var g in all)
            {
                var r = reminded.FirstOrDefault(x => x.Channel == g.Channel && x.ServiceId == g.ServiceId && x.Status == g.Status)?.N ?? 0;
                var noShow = g.Status == AppointmentStatus.NoShow;
                if (r > 0) appointments.Add((g.Channel, g.ServiceId, noShow, true, r));
                if (g.N - r > 0) appointments.Add((g.Channel, g.ServiceId, noShow, false, g.N - r));
            }
        }

        // ---- Assemble ----
        var serviceLabel = serviceInfo.ToDictionary(s => s.Id, s => branches.Count > 1
            ? $"{s.Name} · {branches.FirstOrDefault(b => b.Id == s.BranchId)?.Name}" : s.Name);
        var byChannel = kpis.ByChannel;
        var byService = kpis.ByService.ToDictionary();
        var total = kpis.Total;
        total.Label = "Total";
        foreach (var (c, row) in byChannel) row.Label = ChannelReport.ChannelName(c);
        KpiRow ServiceRow(int id) => byService.TryGetValue(id, out var row) ? row : byService[id] = new KpiRow { ServiceId = id };

        int dueWith = 0, noWith = 0, dueWithout = 0, noWithout = 0;
        foreach (var a in appointments)
        {
            foreach (var row in new[] { byChannel[a.Channel], ServiceRow(a.ServiceId), total })
            {
                row.AppointmentsDue += a.N;
                if (a.NoShow) row.AppointmentNoShows += a.N;
            }
            if (a.Reminded) { dueWith += a.N; if (a.NoShow) noWith += a.N; }
            else { dueWithout += a.N; if (a.NoShow) noWithout += a.N; }
        }
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
        var zones = branches.ToDictionary(b => b.Id, b => BranchTime.Zone(b.TimeZoneId));
        foreach (var q in quarters)
        {
            var local = BranchTime.ToLocal(DateTime.SpecifyKind(q.Date, DateTimeKind.Utc).AddHours(q.Hour).AddMinutes(q.Quarter * 15), zones[q.BranchId]);
            demand[((int)local.DayOfWeek + 6) % 7, local.Hour] += q.N;
        }

        var days = new List<DailyVolume>();
        for (var d = filter.From; d <= filter.To; d = d.AddDays(1)) days.Add(new DailyVolume(d, new int[ChannelReport.Channels.Length]));
        foreach (var d in daily) days[d.ServiceDay.DayNumber - filter.From.DayNumber].PerChannel[(int)d.Channel] += d.N;

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
            Reminders = new ReminderEffect(dueWith, noWith, dueWithout, noWithout),
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
