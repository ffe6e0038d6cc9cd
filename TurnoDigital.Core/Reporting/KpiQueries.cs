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
/// seconds each ticket and segment stored at its transitions (<see cref="Ticket.WaitSeconds"/>…): counts and sums are grouped in SQL;
/// only the waits come back one number each, for exact percentiles.
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

    public static async Task<TicketKpis> ComputeAsync(TurnoDbContext db, KpiScope scope, CancellationToken ct = default)
    {
        var serviceIds = scope.ServiceIds.ToList();
        var all = Tickets(db, scope);
        var tickets = serviceIds.Count == 0 ? all : all.Where(t => serviceIds.Contains(t.ServiceId));

        // The current segment of each ticket; Target: its service's target wait in seconds (service level).
        var current = await (from t in tickets
                             join s in db.Services on t.ServiceId equals s.Id
                             select new
                             {
                                 Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, t.ServiceId, t.Status, t.WaitSeconds,
                                 t.VisitWaitSeconds, t.ServiceSeconds, t.ClosedBySystem, t.Rating, Target = s.TargetWaitMinutes * 60,
                             })
            .GroupBy(r => new { r.Channel, r.ServiceId }).Select(g => new
            {
                g.Key.Channel, g.Key.ServiceId,
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
        var segments = from g in db.TicketSegments
                       join t in all on g.TicketId equals t.Id
                       join s in db.Services on g.ServiceId equals s.Id
                       where serviceIds.Count == 0 || serviceIds.Contains(g.ServiceId)
                       select new { Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, g.ServiceId, g.WaitSeconds, g.ServiceSeconds, Target = s.TargetWaitMinutes * 60 };
        var closed = await segments.GroupBy(r => new { r.Channel, r.ServiceId }).Select(g => new
        {
            g.Key.Channel, g.Key.ServiceId, Segments = g.Count(),
            Called = g.Count(r => r.WaitSeconds != null), WaitSum = g.Sum(r => (long?)r.WaitSeconds) ?? 0, Within = g.Count(r => r.WaitSeconds <= r.Target),
            ServiceTimed = g.Count(r => r.ServiceSeconds != null), ServiceSum = g.Sum(r => (long?)r.ServiceSeconds) ?? 0,
        }).ToListAsync(ct);

        // The waits themselves for exact percentiles: per service each segment's, per channel and in total each visit's (added up).
        var waits = await tickets.Where(t => t.VisitWaitSeconds != null)
            .Select(t => new { Channel = t.Appointment != null ? t.Appointment.Channel : t.Channel, t.ServiceId, t.WaitSeconds, Visit = t.VisitWaitSeconds!.Value })
            .ToListAsync(ct);
        var segmentWaits = await segments.Where(r => r.WaitSeconds != null).Select(r => new { r.ServiceId, Wait = r.WaitSeconds!.Value }).ToListAsync(ct);

        var byChannel = Enum.GetValues<Channel>().ToDictionary(c => c, c => new KpiRow { Channel = c });
        var byService = new Dictionary<int, KpiRow>();
        var total = new KpiRow();
        KpiRow ServiceRow(int id) => byService.TryGetValue(id, out var row) ? row : byService[id] = new KpiRow { ServiceId = id };
        var sums = new Dictionary<KpiRow, (long Wait, long Service, int Timed)>();
        void Add(KpiRow row, long wait, long service, int timed)
        {
            var s = sums.GetValueOrDefault(row);
            sums[row] = (s.Wait + wait, s.Service + service, s.Timed + timed);
        }

        // KPI-DEFINITIONS "transfer": a service's row uses its segments; a channel's row and the total count each visit once and add its segments up.
        foreach (var g in current)
        {
            foreach (var row in new[] { byChannel[g.Channel], ServiceRow(g.ServiceId), total })
            {
                var perService = row.ServiceId is not null;
                row.Visits += g.Visits; row.NotArrived += g.NotArrived;
                row.Called += perService ? g.Called : g.CalledVisits;
                row.ServiceLevelCalled += g.Called; row.ServiceLevelWithin += g.Within;
                row.Served += g.Served; row.TicketNoShows += g.NoShows; row.WalkOuts += g.WalkOuts;
                int[] ratings = [g.R1, g.R2, g.R3, g.R4, g.R5];
                for (var i = 0; i < 5; i++) row.RatingCounts[i] += ratings[i];
                Add(row, perService ? g.WaitSum : g.VisitWaitSum, g.ServiceSum, perService ? g.ServiceTimed : g.ServedTimed);
            }
        }
        foreach (var g in closed)
        {
            var service = ServiceRow(g.ServiceId);
            service.Visits += g.Segments; service.Called += g.Called;
            Add(service, g.WaitSum, g.ServiceSum, g.ServiceTimed);
            foreach (var row in new[] { service, byChannel[g.Channel], total })
            {
                row.ServiceLevelCalled += g.Called; row.ServiceLevelWithin += g.Within;
                // A visit's service time adds its segments up too (its wait already does, in VisitWaitSeconds).
                if (row != service) Add(row, 0, g.ServiceSum, 0);
            }
        }
        foreach (var (row, s) in sums)
        {
            row.WaitAvgSeconds = row.Called == 0 ? null : (double)s.Wait / row.Called;
            row.ServiceAvgSeconds = s.Timed == 0 ? null : (double)s.Service / s.Timed;
        }

        foreach (var group in waits.GroupBy(w => w.Channel)) SetPercentiles(byChannel[group.Key], group.Select(w => w.Visit));
        foreach (var group in waits.Where(w => w.WaitSeconds != null).Select(w => (w.ServiceId, Wait: w.WaitSeconds!.Value))
                     .Concat(segmentWaits.Select(w => (w.ServiceId, w.Wait))).GroupBy(w => w.ServiceId))
            SetPercentiles(ServiceRow(group.Key), group.Select(w => w.Wait));
        var visitWaits = waits.Select(w => w.Visit).ToArray();
        SetPercentiles(total, visitWaits);
        return new TicketKpis(byChannel, byService, total, visitWaits);
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
