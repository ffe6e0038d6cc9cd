using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Supervision;

/// <summary>The supervisor's live panel: the branch now and today's KPIs (ticket figures from <see cref="Reporting.KpiQueries"/>, as the report).</summary>
public sealed class PanelQueries(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>A desk session nobody touched for this long is left over from an earlier day, not an agent at work.</summary>
    static readonly TimeSpan StaleSession = TimeSpan.FromHours(12);

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<BranchScope> ScopeAsync(string? userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await BranchScope.ForAsync(db, userId, isAdmin, ct);
    }

    public async Task<PanelNow> GetNowAsync(int branchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = await ZoneAsync(db, branchId, ct);
        var now = Now;
        var day = BranchTime.LocalDay(now, zone);

        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId && s.IsActive).OrderBy(s => s.Prefix)
            .Select(s => new { s.Id, s.Name, s.TargetWaitMinutes }).ToListAsync(ct);
        var lines = await db.Tickets.Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Waiting)
            .GroupBy(t => t.ServiceId).Select(g => new { g.Key, Count = g.Count(), Oldest = g.Min(t => t.DueAt) }).ToDictionaryAsync(x => x.Key, ct);
        var serviceRows = services.Select(s => lines.TryGetValue(s.Id, out var l)
            ? new ServiceNowRow(s.Id, s.Name, l.Count, Math.Max(0, (int)(now - l.Oldest).TotalMinutes), s.TargetWaitMinutes)
            : new ServiceNowRow(s.Id, s.Name, 0, 0, s.TargetWaitMinutes)).ToList();

        var since = now - StaleSession;
        var sessions = await db.CounterSessions.AsNoTracking().Where(s => s.BranchId == branchId && s.EndedAt == null && s.LastSeenAt >= since)
            .Join(db.Counters, s => s.CounterId, c => c.Id, (s, c) => new { s.AgentId, s.CounterId, Counter = c.Name, s.StartedAt, s.PausedAt, s.PauseReason })
            .ToListAsync(ct);
        var agentIds = sessions.Select(s => s.AgentId).Distinct().ToList();
        var names = await db.Users.Where(u => agentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var current = await db.Tickets.AsNoTracking()
            .Where(t => t.BranchId == branchId && t.AgentId != null && agentIds.Contains(t.AgentId) && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))
            .Select(t => new { t.AgentId, t.CounterId, t.Number, t.CalledAt }).ToListAsync(ct);
        var lastClosed = await db.Tickets.Where(t => t.BranchId == branchId && t.ServiceDay == day && t.AgentId != null && agentIds.Contains(t.AgentId) && t.ClosedAt != null)
            .GroupBy(t => t.AgentId!).Select(g => new { g.Key, Last = g.Max(t => t.ClosedAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);

        var agents = sessions.Select(s =>
        {
            var serving = current.Where(t => t.AgentId == s.AgentId && t.CounterId == s.CounterId).OrderByDescending(t => t.CalledAt).FirstOrDefault();
            var name = names.GetValueOrDefault(s.AgentId) is { Length: > 0 } n ? n : s.AgentId;
            if (s.PausedAt is { } paused)
                return new AgentNowRow(s.AgentId, name, s.Counter, AgentState.Paused, BranchTime.ToLocal(paused, zone), s.PauseReason, serving?.Number);
            if (serving is not null)
                return new AgentNowRow(s.AgentId, name, s.Counter, AgentState.Serving, BranchTime.ToLocal(serving.CalledAt ?? s.StartedAt, zone), null, serving.Number);
            var idleSince = lastClosed.GetValueOrDefault(s.AgentId) is { } closed && closed > s.StartedAt ? closed : s.StartedAt;
            return new AgentNowRow(s.AgentId, name, s.Counter, AgentState.Idle, BranchTime.ToLocal(idleSince, zone), null, null);
        }).OrderBy(a => a.CounterName).ThenBy(a => a.AgentName).ToList();

        var countersActive = await db.Counters.CountAsync(c => c.BranchId == branchId && c.IsActive, ct);
        var countersOpen = sessions.Where(s => s.PausedAt is null).Select(s => s.CounterId).Distinct().Count();
        var (from, _) = LocalDays.Range(day, day, zone);
        var turns = db.JourneyEvents.AsNoTracking().Where(e => e.BranchId == branchId && e.Kind == Journeys.JourneyEventKind.FairnessTurn && e.At >= from);
        var last = await turns.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.At, e.Data, Number = e.Ticket!.Number, Counter = db.Counters.Where(c => c.Id == e.CounterId).Select(c => c.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        return new PanelNow(serviceRows, agents, countersOpen, countersActive, BranchTime.ToLocal(now, zone))
        {
            FairnessTurnsToday = await turns.CountAsync(ct),
            LastFairnessTurn = last is null ? null : new FairnessTurnRow(last.Number, last.Counter ?? "", BranchTime.ToLocal(last.At, zone), AfterCalls(last.Data)),
        };
    }

    static int AfterCalls(string? data)
    {
        if (data is null) return 0;
        using var json = System.Text.Json.JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("afterPreferentialCalls", out var n) && n.TryGetInt32(out var v) ? v : 0;
    }

    public async Task<PanelToday> GetTodayAsync(int branchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = await ZoneAsync(db, branchId, ct);
        var day = BranchTime.LocalDay(Now, zone);
        var (from, to) = LocalDays.Range(day, day, zone);

        var kpis = await Reporting.KpiQueries.ComputeAsync(db, new Reporting.KpiScope([branchId], day, day, []), ct);

        // Booked today, checked in today, and today's appointments that are decided (checked in or no-show).
        var appointments = await db.Appointments.Where(a => a.BranchId == branchId
                && ((a.CreatedAt >= from && a.CreatedAt < to) || (a.CheckedInAt >= from && a.CheckedInAt < to) || (a.Start >= from && a.Start < to)))
            .GroupBy(a => new { a.Channel, a.ServiceId })
            .Select(g => new
            {
                g.Key.Channel, g.Key.ServiceId,
                Booked = g.Count(a => a.CreatedAt >= from && a.CreatedAt < to),
                CheckedIn = g.Count(a => a.CheckedInAt >= from && a.CheckedInAt < to),
                NoShows = g.Count(a => a.Start >= from && a.Start < to && a.Status == AppointmentStatus.NoShow),
                Decided = g.Count(a => a.Start >= from && a.Start < to && (a.Status == AppointmentStatus.NoShow || a.Status == AppointmentStatus.CheckedIn)),
            }).ToListAsync(ct);

        var seen = kpis.ByService.Keys.ToList();
        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId && (s.IsActive || seen.Contains(s.Id)))
            .OrderBy(s => s.Prefix).Select(s => new { s.Id, s.Name, s.TargetServiceLevelPercent }).ToListAsync(ct);

        // Ticket figures as the report computes them (one query layer); the appointments of the day beside them.
        KpiRow Row(string key, Reporting.KpiRow? k, Func<Channel, int, bool> match, int? goal = null)
        {
            k ??= new Reporting.KpiRow();
            var a = appointments.Where(x => match(x.Channel, x.ServiceId)).ToList();
            return new KpiRow(key, k.Visits, a.Sum(x => x.Booked), a.Sum(x => x.CheckedIn), a.Sum(x => x.NoShows), a.Sum(x => x.Decided),
                k.Called, k.WaitAvgSeconds / 60.0, k.WaitP90Seconds / 60.0, k.Served, k.ServiceAvgSeconds / 60.0, k.RatingAvg, k.Ratings)
            {
                ServiceLevel = k.ServiceLevel, ServiceLevelGoalPercent = goal, NotArrived = k.NotArrived,
            };
        }

        var byChannel = Enum.GetValues<Channel>().Select(c => Row(c.ToString(), kpis.ByChannel[c], (ch, _) => ch == c)).ToList();
        var byService = services.Select(sv => Row(sv.Name, kpis.ByService.GetValueOrDefault(sv.Id), (_, id) => id == sv.Id, sv.TargetServiceLevelPercent)).ToList();
        var total = Row("", kpis.Total, (_, _) => true);

        // Each called visit's wait (its segments added up) in its bucket, [From, To) minutes.
        var distribution = Enumerable.Range(0, BucketBounds.Length + 1).Select(i => new WaitBucket(
            i == 0 ? 0 : BucketBounds[i - 1], i < BucketBounds.Length ? BucketBounds[i] : null,
            kpis.VisitWaits.Count(w => (i == 0 || w >= BucketBounds[i - 1] * 60) && (i == BucketBounds.Length || w < BucketBounds[i] * 60)))).ToList();
        return new PanelToday(day, byChannel, byService, total, await ArrivalsByHourAsync(db, branchId, day, zone, from, ct), distribution);
    }

    /// <summary>Upper bounds (minutes) of the wait distribution buckets; the last bucket is open-ended.</summary>
    static readonly int[] BucketBounds = [5, 10, 15, 20, 30, 45, 60];

    /// <summary>Arrivals (tickets entering the line) per channel and local hour [h, h+1).</summary>
    static async Task<IReadOnlyDictionary<Channel, int[]>> ArrivalsByHourAsync(TurnoDbContext db, int branchId, DateOnly day, TimeZoneInfo zone, DateTime dayStartUtc, CancellationToken ct)
    {
        // The day's offset moves UTC to local time inside SQL; zones with a DST change that day are off by an hour for part of it.
        var offset = zone.GetUtcOffset(dayStartUtc).TotalMinutes;
        var counts = await Reporting.KpiQueries.Tickets(db, new Reporting.KpiScope([branchId], day, day, [])).Where(t => t.Status != TicketStatus.NotArrived)
            .GroupBy(t => new { Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, Hour = t.IssuedAt.AddMinutes(offset).Hour })
            .Select(g => new { g.Key.Channel, g.Key.Hour, Count = g.Count() }).ToListAsync(ct);
        return Enum.GetValues<Channel>().ToDictionary(c => c, c =>
        {
            var hours = new int[24];
            foreach (var x in counts.Where(x => x.Channel == c)) hours[x.Hour] += x.Count;
            return hours;
        });
    }

    static async Task<TimeZoneInfo> ZoneAsync(TurnoDbContext db, int branchId, CancellationToken ct) =>
        BranchTime.Zone(await db.Branches.Where(b => b.Id == branchId).Select(b => b.TimeZoneId).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("Branch.NotFound"));
}
