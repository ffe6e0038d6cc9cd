using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Core.Reporting;

/// <summary>Bad report input; the message is shown to the user (400).</summary>
public sealed class ReportInputException(string code, params object?[] args) : DomainException(code, args);

/// <summary>The user asked for a branch they may not see (403).</summary>
public sealed class ReportForbiddenException(string code, params object?[] args) : DomainException(code, args);

/// <summary>
/// The channel report from SQL aggregates (KPI-DEFINITIONS.md). Ticket figures group in SQL; only the wait of each
/// called ticket comes back as a number, for exact percentiles. Local times: every row is bucketed in its own
/// branch's time zone (ServiceDay is already local; hours come back as UTC quarter-hours and are converted per branch).
/// </summary>
public sealed class ChannelReportService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, Supervision.StaffingQueries staffing)
{
    /// <summary>
    /// One visit segment as flat numbers (KPI-DEFINITIONS "transfer"): a ticket's current segment (Visit = 1, carrying the visit's
    /// status and rating) and its closed ones (Visit = 0, Status ''). The provider-specific fragments (<see cref="SqlDialect"/>) only compute seconds and the UTC quarter-hour.
    /// </summary>
    sealed class TicketFact
    {
        public long TicketId { get; set; }
        public int BranchId { get; set; }
        public int ServiceId { get; set; }
        public string Channel { get; set; } = "";
        public DateOnly ServiceDay { get; set; }
        public string Status { get; set; } = "";
        public int Visit { get; set; }
        public int VisitCalled { get; set; }
        public int? Rating { get; set; }
        public long? WaitSeconds { get; set; }
        public long? ServiceSeconds { get; set; }
        public long IssuedQuarter { get; set; }
    }

    /// <summary>The facts of every ticket and segment; the caller filters (EF wraps this in a subquery). Identifiers quoted: see <see cref="SqlDialect"/>.</summary>
    static string Facts(SqlDialect sql)
    {
        // The current segment waits from COALESCE(SegmentFrom, DueAt) to its first call.
        const string from = "COALESCE(t.\"SegmentFrom\", t.\"DueAt\")", called = "(CASE WHEN t.\"Segment\" = 1 THEN t.\"FirstCalledAt\" ELSE t.\"SegmentCalledAt\" END)";
        var quarter = $"{sql.UnixSeconds("t.\"IssuedAt\"")} / 900";
        return $$"""
            SELECT t."Id" AS "TicketId", t."BranchId" AS "BranchId", t."ServiceId" AS "ServiceId", COALESCE(a."Channel", t."Channel") AS "Channel",
              t."ServiceDay" AS "ServiceDay", t."Status" AS "Status", 1 AS "Visit",
              CASE WHEN t."FirstCalledAt" IS NULL THEN 0 ELSE 1 END AS "VisitCalled", t."Rating" AS "Rating",
              CASE WHEN {{called}} IS NULL THEN NULL ELSE {{sql.WholeSeconds(called, from)}} END AS "WaitSeconds",
              CASE WHEN t."Status" = 'Completed' AND t."ClosedBySystem" = {{sql.False}} AND t."StartedAt" IS NOT NULL AND t."ClosedAt" IS NOT NULL
                   THEN {{sql.WholeSeconds("t.\"ClosedAt\"", "t.\"StartedAt\"")}} END AS "ServiceSeconds",
              {{quarter}} AS "IssuedQuarter"
            FROM "Tickets" AS t LEFT JOIN "Appointments" AS a ON a."Id" = t."AppointmentId"
            UNION ALL
            SELECT t."Id", t."BranchId", g."ServiceId", COALESCE(a."Channel", t."Channel"), t."ServiceDay", '', 0, 0, NULL,
              CASE WHEN g."CalledAt" IS NULL THEN NULL ELSE {{sql.WholeSeconds("g.\"CalledAt\"", "g.\"WaitFrom\"")}} END,
              CASE WHEN g."StartedAt" IS NOT NULL THEN {{sql.WholeSeconds("g.\"EndedAt\"", "g.\"StartedAt\"")}} END,
              {{quarter}}
            FROM "TicketSegments" AS g INNER JOIN "Tickets" AS t ON t."Id" = g."TicketId" LEFT JOIN "Appointments" AS a ON a."Id" = t."AppointmentId"
            """;
    }

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
            .Select(s => new { s.Id, s.Name, s.BranchId }).ToListAsync(ct);

        var facts = db.Database.SqlQueryRaw<TicketFact>(Facts(SqlDialect.For(db.Database)))
            .Where(f => branchIds.Contains(f.BranchId) && f.ServiceDay >= filter.From && f.ServiceDay <= filter.To);
        if (serviceIds.Count > 0) facts = facts.Where(f => serviceIds.Contains(f.ServiceId));

        // 1. Counts and sums per channel × service: a few dozen rows. Visits and outcomes once per visit; waits and service times per segment.
        var groups = await facts.GroupBy(f => new { f.Channel, f.ServiceId }).Select(g => new
        {
            g.Key.Channel, g.Key.ServiceId,
            Visits = g.Sum(f => f.Visit),
            Segments = g.Count(),
            CalledVisits = g.Sum(f => f.VisitCalled),
            Called = g.Count(f => f.WaitSeconds != null),
            WaitSum = g.Sum(f => f.WaitSeconds ?? 0),
            Served = g.Count(f => f.Status == "Completed"),
            ServedTimed = g.Count(f => f.Status == "Completed" && f.ServiceSeconds != null), // not those closed by the system
            ServiceTimed = g.Count(f => f.ServiceSeconds != null),
            ServiceSum = g.Sum(f => f.ServiceSeconds ?? 0),
            NoShows = g.Count(f => f.Status == "NoShow"),
            WalkOuts = g.Count(f => f.Visit == 1 && f.VisitCalled == 0 && (f.Status == "Cancelled" || f.Status == "Expired")),
            R1 = g.Count(f => f.Rating == 1), R2 = g.Count(f => f.Rating == 2), R3 = g.Count(f => f.Rating == 3),
            R4 = g.Count(f => f.Rating == 4), R5 = g.Count(f => f.Rating == 5),
        }).ToListAsync(ct);

        // 2. The waits themselves (one number per called segment) for exact p50/p90: per service as they are, per visit added up.
        var waits = await facts.Where(f => f.WaitSeconds != null)
            .Select(f => new { f.TicketId, f.Channel, f.ServiceId, Wait = (int)f.WaitSeconds!.Value }).ToListAsync(ct);
        var visitWaits = waits.GroupBy(w => w.TicketId).Select(g => new { g.First().Channel, Wait = g.Sum(w => w.Wait) }).ToList();

        // 3. Visits per local day and channel.
        var daily = await facts.Where(f => f.Visit == 1).GroupBy(f => new { f.ServiceDay, f.Channel }).Select(g => new { g.Key.ServiceDay, g.Key.Channel, N = g.Count() }).ToListAsync(ct);

        // 4. Arrivals per branch and UTC quarter-hour, turned into local weekday × hour below (exact for any offset or DST).
        var quarters = await facts.Where(f => f.Visit == 1).GroupBy(f => new { f.BranchId, f.IssuedQuarter }).Select(g => new { g.Key.BranchId, g.Key.IssuedQuarter, N = g.Count() }).ToListAsync(ct);

        // 5. Appointments due in the range, per branch because the range is local to each branch.
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
        var byChannel = ChannelReport.Channels.ToDictionary(c => c, c => new KpiRow { Label = ChannelReport.ChannelName(c), Channel = c });
        var byService = new Dictionary<int, KpiRow>();
        var total = new KpiRow { Label = "Total" };
        KpiRow ServiceRow(int id) => byService.TryGetValue(id, out var row) ? row
            : byService[id] = new KpiRow { Label = serviceLabel.GetValueOrDefault(id, $"Servicio {id}"), ServiceId = id };

        // KPI-DEFINITIONS "transfer": a service's row uses its segments; a channel's row and the total count each visit once and add its segments up.
        var waitSums = new Dictionary<KpiRow, (long Sum, long ServiceSum, int ServiceTimed)>();
        foreach (var g in groups)
        {
            var channel = Enum.Parse<Channel>(g.Channel);
            foreach (var row in new[] { byChannel[channel], ServiceRow(g.ServiceId), total })
            {
                var perService = row.ServiceId is not null;
                row.Visits += perService ? g.Segments : g.Visits; row.Called += perService ? g.Called : g.CalledVisits;
                row.Served += g.Served; row.TicketNoShows += g.NoShows; row.WalkOuts += g.WalkOuts;
                row.RatingCounts[0] += g.R1; row.RatingCounts[1] += g.R2; row.RatingCounts[2] += g.R3; row.RatingCounts[3] += g.R4; row.RatingCounts[4] += g.R5;
                var s = waitSums.GetValueOrDefault(row);
                waitSums[row] = (s.Sum + g.WaitSum, s.ServiceSum + g.ServiceSum, s.ServiceTimed + (perService ? g.ServiceTimed : g.ServedTimed));
            }
        }
        foreach (var (row, s) in waitSums)
        {
            row.WaitAvgSeconds = row.Called == 0 ? null : (double)s.Sum / row.Called;
            row.ServiceAvgSeconds = s.ServiceTimed == 0 ? null : (double)s.ServiceSum / s.ServiceTimed;
        }
        foreach (var group in visitWaits.GroupBy(w => w.Channel)) SetPercentiles(byChannel[Enum.Parse<Channel>(group.Key)], group.Select(w => w.Wait));
        foreach (var group in waits.GroupBy(w => w.ServiceId)) SetPercentiles(ServiceRow(group.Key), group.Select(w => w.Wait));
        SetPercentiles(total, visitWaits.Select(w => w.Wait));

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
        foreach (var row in byChannel.Values.Concat(byService.Values))
            row.Share = total.Visits == 0 ? 0 : (double)row.Visits / total.Visits;
        total.Share = total.Visits == 0 ? 0 : 1;

        var demand = new int[7, 24];
        var zones = branches.ToDictionary(b => b.Id, b => BranchTime.Zone(b.TimeZoneId));
        foreach (var q in quarters)
        {
            var local = BranchTime.ToLocal(DateTime.UnixEpoch.AddSeconds(q.IssuedQuarter * 900), zones[q.BranchId]);
            demand[((int)local.DayOfWeek + 6) % 7, local.Hour] += q.N;
        }

        var days = new List<DailyVolume>();
        for (var d = filter.From; d <= filter.To; d = d.AddDays(1)) days.Add(new DailyVolume(d, new int[ChannelReport.Channels.Length]));
        foreach (var d in daily) days[d.ServiceDay.DayNumber - filter.From.DayNumber].PerChannel[(int)Enum.Parse<Channel>(d.Channel)] += d.N;

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

    /// <summary>Nearest-rank percentiles: the smallest wait with at least p % of the waits at or below it.</summary>
    static void SetPercentiles(KpiRow row, IEnumerable<int> waits)
    {
        var sorted = waits.ToArray();
        if (sorted.Length == 0) return;
        Array.Sort(sorted);
        row.WaitP50Seconds = Percentile(sorted, 50);
        row.WaitP90Seconds = Percentile(sorted, 90);
    }

    public static int Percentile(int[] sorted, int p) => sorted[Math.Max(0, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
}
