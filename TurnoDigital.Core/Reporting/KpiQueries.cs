using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Reporting;

/// <summary>Which tickets the KPIs cover: service days [From, To] (each branch's own local days), branches, optionally services.</summary>
public sealed record KpiScope(IReadOnlyList<int> BranchIds, DateOnly From, DateOnly To, IReadOnlyList<int> ServiceIds);

/// <summary>The ticket KPIs of a scope: one row per channel (all of them), per service seen, and the total; the waits of the called visits.</summary>
public sealed record TicketKpis(IReadOnlyDictionary<Channel, KpiRow> ByChannel, IReadOnlyDictionary<int, KpiRow> ByService, KpiRow Total, int[] VisitWaits);

/// <summary>
/// The one KPI query layer under the supervisor panel and the channel report (KPI-DEFINITIONS.md). Provider-neutral LINQ over the
/// seconds each ticket and segment stored at its transitions (<see cref="Ticket.WaitSeconds"/>…): counts and sums are grouped in SQL
/// per branch, day, channel and service (<see cref="SumsAsync"/>, also what <see cref="DailyAggregates"/> stores for closed days);
/// only the seconds come back one number each, for exact percentiles or a day's histograms.
/// </summary>
public static class KpiQueries
{
    /// <summary>The scope's tickets (any service). A visit's channel, in every query below, is where it began: the booking's channel for an appointment's ticket.</summary>
    public static IQueryable<Ticket> Tickets(TurnoDbContext db, KpiScope scope)
    {
        var (branchIds, from, to) = (scope.BranchIds.ToList(), scope.From, scope.To);
        // Remote tickets whose holder has not arrived yet are nobody's visit (yet).
        return db.Tickets.AsNoTracking().Where(t => branchIds.Contains(t.BranchId) && t.ServiceDay >= from && t.ServiceDay <= to && t.Status != TicketStatus.Remote);
    }

    /// <summary>A called or timed visit's current segment (its service, seconds) and where it began.</summary>
    public sealed record VisitSeconds(int BranchId, DateOnly Day, Channel Channel, int ServiceId, int? Wait, int? Visit, int? Service);

    /// <summary>A closed segment's seconds in the service it waited for.</summary>
    public sealed record SegmentSeconds(int BranchId, DateOnly Day, Channel Channel, int ServiceId, int? Wait, int? Service);

    /// <summary>The exact ticket KPIs of a scope: sums grouped in SQL, percentiles from every wait.</summary>
    public static async Task<TicketKpis> ComputeAsync(TurnoDbContext db, KpiScope scope, CancellationToken ct = default)
    {
        var (byChannel, byService, total) = Rows(await SumsAsync(db, scope, ct));
        var (visits, segments) = await SecondsAsync(db, scope, ct);
        var visitWaits = SetPercentiles(visits, segments, byChannel, byService, total);
        return new TicketKpis(byChannel, byService, total, visitWaits);
    }

    /// <summary>
    /// The scope's counts and sums per branch, service day, channel and service (a <see cref="DailyAggregate"/> without appointments,
    /// arrivals or histograms): the current segment of each ticket in its service, the closed segments in the service they waited for.
    /// </summary>
    public static async Task<List<DailyAggregate>> SumsAsync(TurnoDbContext db, KpiScope scope, CancellationToken ct = default)
    {
        var serviceIds = scope.ServiceIds.ToList();
        var all = Tickets(db, scope);
        var tickets = serviceIds.Count == 0 ? all : all.Where(t => serviceIds.Contains(t.ServiceId));

        // Target: the service's target wait in seconds (service level).
        var current = await (from t in tickets
                             join s in db.Services on t.ServiceId equals s.Id
                             select new
                             {
                                 t.BranchId, t.ServiceDay, Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, t.ServiceId, t.Status, t.WaitSeconds,
                                 t.VisitWaitSeconds, t.ServiceSeconds, t.ClosedBySystem, t.Rating, Target = s.TargetWaitMinutes * 60,
                             })
            .GroupBy(r => new { r.BranchId, r.ServiceDay, r.Channel, r.ServiceId }).Select(g => new
            {
                g.Key.BranchId, g.Key.ServiceDay, g.Key.Channel, g.Key.ServiceId,
                Visits = g.Count(r => r.Status != TicketStatus.NotArrived),
                NotArrived = g.Count(r => r.Status == TicketStatus.NotArrived),
                CalledVisits = g.Count(r => r.VisitWaitSeconds != null),
                VisitWaitSum = g.Sum(r => (long?)r.VisitWaitSeconds) ?? 0,
                Called = g.Count(r => r.WaitSeconds != null),
                WaitSum = g.Sum(r => (long?)r.WaitSeconds) ?? 0,
                Within = g.Count(r => r.WaitSeconds <= r.Target),
                Served = g.Count(r => r.Status == TicketStatus.Completed),
                ServedTimed = g.Count(r => r.Status == TicketStatus.Completed && r.ServiceSeconds != null),
                ServiceTimed = g.Count(r => r.ServiceSeconds != null),
                ServiceSum = g.Sum(r => (long?)r.ServiceSeconds) ?? 0,
                NoShows = g.Count(r => r.Status == TicketStatus.NoShow),
                WalkOuts = g.Count(r => r.VisitWaitSeconds == null && (r.Status == TicketStatus.Cancelled || r.Status == TicketStatus.Expired)),
                R1 = g.Count(r => r.Rating == 1), R2 = g.Count(r => r.Rating == 2), R3 = g.Count(r => r.Rating == 3),
                R4 = g.Count(r => r.Rating == 4), R5 = g.Count(r => r.Rating == 5),
            }).ToListAsync(ct);

        // Closed segments (a transfer or a reactivated no-show ended them), in the service they waited for.
        var closed = await (from g in db.TicketSegments
                            join t in all on g.TicketId equals t.Id
                            join s in db.Services on g.ServiceId equals s.Id
                            where serviceIds.Count == 0 || serviceIds.Contains(g.ServiceId)
                            select new { t.BranchId, t.ServiceDay, Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, g.ServiceId, g.WaitSeconds, g.ServiceSeconds, Target = s.TargetWaitMinutes * 60 })
            .GroupBy(r => new { r.BranchId, r.ServiceDay, r.Channel, r.ServiceId }).Select(g => new
            {
                g.Key.BranchId, g.Key.ServiceDay, g.Key.Channel, g.Key.ServiceId, Segments = g.Count(),
                Called = g.Count(r => r.WaitSeconds != null), WaitSum = g.Sum(r => (long?)r.WaitSeconds) ?? 0, Within = g.Count(r => r.WaitSeconds <= r.Target),
                ServiceTimed = g.Count(r => r.ServiceSeconds != null), ServiceSum = g.Sum(r => (long?)r.ServiceSeconds) ?? 0,
            }).ToListAsync(ct);

        var sums = new Dictionary<(int, DateOnly, int, Channel), DailyAggregate>();
        DailyAggregate Cell(int branchId, DateOnly day, int serviceId, Channel channel) =>
            sums.TryGetValue((branchId, day, serviceId, channel), out var a) ? a
                : sums[(branchId, day, serviceId, channel)] = new DailyAggregate { BranchId = branchId, Day = day, ServiceId = serviceId, Channel = channel };
        foreach (var g in current)
        {
            var a = Cell(g.BranchId, g.ServiceDay, g.ServiceId, g.Channel);
            (a.Visits, a.NotArrived, a.CalledVisits, a.VisitWaitSum, a.Called, a.WaitSum, a.Within) = (g.Visits, g.NotArrived, g.CalledVisits, g.VisitWaitSum, g.Called, g.WaitSum, g.Within);
            (a.Served, a.ServedTimed, a.ServiceTimed, a.ServiceSum, a.NoShows, a.WalkOuts) = (g.Served, g.ServedTimed, g.ServiceTimed, g.ServiceSum, g.NoShows, g.WalkOuts);
            (a.Rating1, a.Rating2, a.Rating3, a.Rating4, a.Rating5) = (g.R1, g.R2, g.R3, g.R4, g.R5);
        }
        foreach (var g in closed)
        {
            var a = Cell(g.BranchId, g.ServiceDay, g.ServiceId, g.Channel);
            (a.Segments, a.SegmentsCalled, a.SegmentWaitSum, a.SegmentsWithin, a.SegmentsServiceTimed, a.SegmentServiceSum) = (g.Segments, g.Called, g.WaitSum, g.Within, g.ServiceTimed, g.ServiceSum);
        }
        return sums.Values.ToList();
    }

    /// <summary>The seconds themselves, one row per called or timed ticket and per closed segment, for percentiles and histograms.</summary>
    public static async Task<(List<VisitSeconds> Visits, List<SegmentSeconds> Segments)> SecondsAsync(TurnoDbContext db, KpiScope scope, CancellationToken ct = default)
    {
        var serviceIds = scope.ServiceIds.ToList();
        var all = Tickets(db, scope);
        var tickets = serviceIds.Count == 0 ? all : all.Where(t => serviceIds.Contains(t.ServiceId));
        var visits = await tickets.Where(t => t.VisitWaitSeconds != null || t.ServiceSeconds != null)
            .Select(t => new VisitSeconds(t.BranchId, t.ServiceDay, t.Appointment != null ? t.Appointment.Channel : t.Channel, t.ServiceId, t.WaitSeconds, t.VisitWaitSeconds, t.ServiceSeconds))
            .ToListAsync(ct);
        var segments = await (from g in db.TicketSegments
                              join t in all on g.TicketId equals t.Id
                              where (serviceIds.Count == 0 || serviceIds.Contains(g.ServiceId)) && (g.WaitSeconds != null || g.ServiceSeconds != null)
                              select new SegmentSeconds(t.BranchId, t.ServiceDay, t.Appointment != null ? t.Appointment.Channel : t.Channel, g.ServiceId, g.WaitSeconds, g.ServiceSeconds))
            .ToListAsync(ct);
        return (visits, segments);
    }

    /// <summary>
    /// Sums → KPI rows: one per channel (all of them), per service seen, and the total. KPI-DEFINITIONS "transfer": a service's row uses
    /// its segments; a channel's row and the total count each visit once and add its segments up. Percentiles are the caller's.
    /// </summary>
    public static (Dictionary<Channel, KpiRow> ByChannel, Dictionary<int, KpiRow> ByService, KpiRow Total) Rows(IEnumerable<DailyAggregate> sums)
    {
        var byChannel = Enum.GetValues<Channel>().ToDictionary(c => c, c => new KpiRow { Channel = c });
        var byService = new Dictionary<int, KpiRow>();
        var total = new KpiRow();
        KpiRow ServiceRow(int id) => byService.TryGetValue(id, out var row) ? row : byService[id] = new KpiRow { ServiceId = id };
        var totals = new Dictionary<KpiRow, (long Wait, long Service, int Timed)>();
        void Add(KpiRow row, long wait, long service, int timed)
        {
            var s = totals.GetValueOrDefault(row);
            totals[row] = (s.Wait + wait, s.Service + service, s.Timed + timed);
        }

        foreach (var g in sums)
        {
            var service = ServiceRow(g.ServiceId);
            foreach (var row in new[] { byChannel[g.Channel], service, total })
            {
                var perService = row == service;
                row.Visits += g.Visits; row.NotArrived += g.NotArrived;
                row.Called += perService ? g.Called : g.CalledVisits;
                row.ServiceLevelCalled += g.Called + g.SegmentsCalled; row.ServiceLevelWithin += g.Within + g.SegmentsWithin;
                row.Served += g.Served; row.TicketNoShows += g.NoShows; row.WalkOuts += g.WalkOuts;
                row.AppointmentsDue += g.AppointmentsDue; row.AppointmentNoShows += g.AppointmentNoShows;
                var ratings = g.RatingCounts;
                for (var i = 0; i < 5; i++) row.RatingCounts[i] += ratings[i];
                Add(row, perService ? g.WaitSum : g.VisitWaitSum, g.ServiceSum, perService ? g.ServiceTimed : g.ServedTimed);
                // Closed segments: a service's row counts them as visits of their own; a visit's service time adds them up too
                // (its wait already does, in VisitWaitSeconds).
                if (perService)
                {
                    row.Visits += g.Segments; row.Called += g.SegmentsCalled;
                    Add(row, g.SegmentWaitSum, g.SegmentServiceSum, g.SegmentsServiceTimed);
                }
                else Add(row, 0, g.SegmentServiceSum, 0);
            }
        }
        foreach (var (row, s) in totals)
        {
            row.WaitAvgSeconds = row.Called == 0 ? null : (double)s.Wait / row.Called;
            row.ServiceAvgSeconds = s.Timed == 0 ? null : (double)s.Service / s.Timed;
        }
        return (byChannel, byService, total);
    }

    /// <summary>Exact percentiles from every wait: per channel and in total each visit's (added up), per service each segment's. Returns the visits' waits.</summary>
    public static int[] SetPercentiles(List<VisitSeconds> visits, List<SegmentSeconds> segments, IReadOnlyDictionary<Channel, KpiRow> byChannel,
        Dictionary<int, KpiRow> byService, KpiRow total)
    {
        var called = visits.Where(w => w.Visit != null).ToList();
        foreach (var group in called.GroupBy(w => w.Channel)) SetPercentiles(byChannel[group.Key], group.Select(w => w.Visit!.Value));
        foreach (var group in called.Where(w => w.Wait != null).Select(w => (w.ServiceId, Wait: w.Wait!.Value))
                     .Concat(segments.Where(w => w.Wait != null).Select(w => (w.ServiceId, Wait: w.Wait!.Value))).GroupBy(w => w.ServiceId))
            SetPercentiles(byService.TryGetValue(group.Key, out var row) ? row : byService[group.Key] = new KpiRow { ServiceId = group.Key }, group.Select(w => w.Wait));
        var visitWaits = called.Select(w => w.Visit!.Value).ToArray();
        SetPercentiles(total, visitWaits);
        return visitWaits;
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
