using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

public static class WaitEstimator
{
    /// <summary>The naive rule (kept as the benchmark's baseline): people ahead × average service time ÷ agents.</summary>
    public static int EstimateMinutes(int peopleAhead, double averageServiceMinutes, int agentsServing)
    {
        if (peopleAhead <= 0) return 0;
        var agents = Math.Max(1, agentsServing);
        return (int)Math.Ceiling(peopleAhead * Math.Max(0.5, averageServiceMinutes) / agents);
    }

    /// <summary>Average of today's recent service times, or the service's default until there are completions.</summary>
    public static double AverageServiceMinutes(IReadOnlyCollection<TimeSpan> recentServiceTimes, int defaultMinutes) =>
        recentServiceTimes.Count == 0 ? defaultMinutes : recentServiceTimes.Average(t => t.TotalMinutes);

    /// <summary>Recent completions per service that make its average.</summary>
    public const int RecentCompletions = 20;

    /// <summary>
    /// Reads what the estimate of a branch's lines needs, once: the agents present now (<see cref="PresenceService"/>: a
    /// recent heartbeat, not paused), their counters' services, the waiting tickets, the tickets being served and each
    /// service's recent call-to-close times.
    /// </summary>
    public static async Task<BranchWaitModel> LoadAsync(TurnoDbContext db, int branchId, DateOnly day, DateTime now, CancellationToken ct)
    {
        var since = now - PresenceService.HeartbeatGap;
        var present = await db.CounterSessions.AsNoTracking()
            .Where(s => s.BranchId == branchId && s.EndedAt == null && s.PausedAt == null && s.LastSeenAt >= since)
            .Select(s => new { s.CounterId, s.AgentId }).ToListAsync(ct);
        var counters = (await db.Counters.AsNoTracking().Where(c => c.BranchId == branchId && c.IsActive)
                .Select(c => new { c.Id, Services = c.Services.Where(s => s.IsActive).Select(s => s.Id).ToList() }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => (IReadOnlyCollection<int>)c.Services);
        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId)
            .Select(s => new { s.Id, s.DefaultServiceMinutes }).ToListAsync(ct);
        var waiting = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Waiting)
            .Select(t => new { t.ServiceId, t.Priority, t.DueAt }).ToListAsync(ct);
        var busy = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && t.AgentId != null
                && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))
            .Select(t => new { t.AgentId, t.ServiceId, t.CalledAt }).ToListAsync(ct);
        // Call to close: what an agent's turn really takes (walking up included), the rate at which a line moves.
        var done = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Completed
                && t.CalledAt != null && t.ClosedAt != null)
            .OrderByDescending(t => t.ClosedAt).Take(RecentCompletions * Math.Max(1, services.Count))
            .Select(t => new { t.ServiceId, t.CalledAt, t.ClosedAt }).ToListAsync(ct);

        var average = services.ToDictionary(s => s.Id, s =>
        {
            var recent = done.Where(d => d.ServiceId == s.Id).Take(RecentCompletions).Select(d => d.ClosedAt!.Value - d.CalledAt!.Value).ToList();
            return AverageServiceMinutes(recent, s.DefaultServiceMinutes);
        });
        var agents = present.Where(p => counters.ContainsKey(p.CounterId)).Select(p =>
        {
            var current = busy.FirstOrDefault(b => b.AgentId == p.AgentId);
            return new PresentAgent(counters[p.CounterId], current?.ServiceId, current?.CalledAt);
        }).ToList();
        return new BranchWaitModel(now, agents, average, waiting.Select(w => (w.ServiceId, w.Priority, w.DueAt)).ToList());
    }
}

/// <summary>An agent at work now: their counter's services and what they are serving (if anything) since when.</summary>
public sealed record PresentAgent(IReadOnlyCollection<int> Services, int? BusyServiceId = null, DateTime? BusySince = null);

/// <summary>
/// The wait estimate of one branch at one moment, from the agents really present. An agent's time is shared among the
/// services their counter serves: the other services' tickets that the counter takes first (higher priority, or the same
/// priority and earlier) count as work ahead, in the share those services' agents have in common with this one.
/// </summary>
public sealed class BranchWaitModel(DateTime now, IReadOnlyList<PresentAgent> agents, IReadOnlyDictionary<int, double> averageMinutes,
    IReadOnlyList<(int ServiceId, PriorityClass Priority, DateTime DueAt)> waiting)
{
    public double AverageMinutes(int serviceId) => averageMinutes.GetValueOrDefault(serviceId, 5);

    /// <summary>Agents present now (not paused) whose counter serves the service.</summary>
    public int AgentsFor(int serviceId) => agents.Count(a => a.Services.Contains(serviceId));

    /// <summary>
    /// Minutes until a ticket of the service with <paramref name="peopleAhead"/> of its own service before it is called;
    /// <paramref name="dueAt"/> is its place in line (null: joining now).
    /// </summary>
    public int Minutes(int serviceId, int peopleAhead, PriorityClass priority = PriorityClass.Ordinary, DateTime? dueAt = null)
    {
        var pool = agents.Where(a => a.Services.Contains(serviceId)).ToList();
        // Joining now: after everyone already due (a tick later than now).
        var place = dueAt ?? now.AddTicks(1);
        var otherWork = 0.0;
        foreach (var other in pool.SelectMany(a => a.Services).Distinct().Where(s => s != serviceId))
        {
            var before = waiting.Count(w => w.ServiceId == other && (w.Priority < priority || (w.Priority == priority && w.DueAt < place)));
            if (before == 0) continue;
            // The part of that line this service's agents take: their share of all the agents serving it.
            var share = (double)pool.Count(a => a.Services.Contains(other)) / Math.Max(1, AgentsFor(other));
            otherWork += before * AverageMinutes(other) * share;
        }
        // The person is called at the (ahead + 1)-th moment an agent of the pool is free: each agent is free when their
        // current turn ends (what is left of it, or now when idle) and then after every turn of the service's average.
        var average = Math.Max(0.5, AverageMinutes(serviceId));
        var free = new PriorityQueue<double, double>();
        foreach (var a in pool)
        {
            var left = a.BusySince is { } since ? Math.Max(0, AverageMinutes(a.BusyServiceId ?? serviceId) - (now - since).TotalMinutes) : 0;
            free.Enqueue(left, left);
        }
        if (free.Count == 0) free.Enqueue(0, 0); // nobody present: as if one agent were
        var at = 0.0;
        for (var i = 0; i <= Math.Max(0, peopleAhead); i++)
        {
            at = free.Dequeue();
            free.Enqueue(at + average, at + average);
        }
        // The other services' work ahead is shared by the pool.
        var minutes = at + otherWork / Math.Max(1, pool.Count);
        return minutes <= 0 ? 0 : (int)Math.Ceiling(minutes - 1e-9);
    }
}
