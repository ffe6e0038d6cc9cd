using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Organization;
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

    static readonly Expression<Func<Ticket, bool>> Busy = t => t.AgentId != null && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving);
    // Call to close: what an agent's turn really takes (walking up included), the rate at which a line moves.
    static readonly Expression<Func<Ticket, bool>> Done = t => t.Status == TicketStatus.Completed && t.CalledAt != null && t.ClosedAt != null;
    static readonly Func<Ticket, bool> BusyInMemory = Busy.Compile(), DoneInMemory = Done.Compile();

    sealed record BusyRow(string? AgentId, int ServiceId, DateTime? CalledAt);
    internal sealed record DoneRow(int ServiceId, DateTime? CalledAt, DateTime? ClosedAt);

    /// <summary>The day's last <paramref name="count"/> completions, newest first (an index of the day's tickets by status and close time serves it).</summary>
    internal static IQueryable<DoneRow> RecentlyDone(TurnoDbContext db, int branchId, DateOnly day, int count) => db.Tickets.AsNoTracking()
        .Where(t => t.BranchId == branchId && t.ServiceDay == day).Where(Done).OrderByDescending(t => t.ClosedAt).ThenByDescending(t => t.Id).Take(count)
        .Select(t => new DoneRow(t.ServiceId, t.CalledAt, t.ClosedAt));

    /// <summary>
    /// Reads what the estimate of a branch's lines needs, once: the agents present now (<see cref="PresenceService"/>: a
    /// recent heartbeat, not paused), the waiting tickets, the tickets being served and each service's recent call-to-close
    /// times; the counters' services and the services' defaults come from the configuration (<paramref name="config"/>).
    /// A caller that already read the branch's tickets of the day passes them as <paramref name="today"/> (the live views:
    /// one read of the day per event, not two). Otherwise a caller that holds the waiting line (<see cref="WaitingLines"/>)
    /// passes it as <paramref name="waiting"/>; else it is read in full.
    /// </summary>
    public static async Task<BranchWaitModel> LoadAsync(TurnoDbContext db, OrganizationCache.Snapshot config, int branchId, DateOnly day, DateTime now,
        CancellationToken ct, IReadOnlyCollection<Ticket>? today = null, IReadOnlyList<Ticket>? waiting = null)
    {
        // Signed in (paused too: an assigned ticket waits for a paused agent until its release); present: signed in, not paused.
        var signedIn = await CallOrder.SignedIn(db.CounterSessions.AsNoTracking(), branchId, now)
            .Select(s => new { s.CounterId, s.AgentId, Paused = s.PausedAt != null }).ToListAsync(ct);
        var present = signedIn.Where(s => !s.Paused).ToList();
        var counters = config.Counters.Values.Where(c => c.BranchId == branchId && c.IsActive)
            .ToDictionary(c => c.Id, c => (IReadOnlyCollection<int>)c.Services.Where(s => s.IsActive).Select(s => s.Id).ToList());
        var services = config.Services.Values.Where(s => s.BranchId == branchId).ToList();
        var recentCount = RecentCompletions * Math.Max(1, services.Count);
        List<BusyRow> busy;
        List<DoneRow> done;
        if (today is null)
        {
            var tickets = db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day);
            waiting ??= await WaitingLines.ReadAsync(db, branchId, day, ct);
            busy = await tickets.Where(Busy).Select(t => new BusyRow(t.AgentId, t.ServiceId, t.CalledAt)).ToListAsync(ct);
            done = await RecentlyDone(db, branchId, day, recentCount).ToListAsync(ct);
        }
        else
        {
            // The same reads over the caller's tickets, with the predicates compiled once (not a query compiled per read).
            waiting = today.Where(t => t.Status == TicketStatus.Waiting).ToList();
            busy = today.Where(BusyInMemory).Select(t => new BusyRow(t.AgentId, t.ServiceId, t.CalledAt)).ToList();
            done = today.Where(DoneInMemory).OrderByDescending(t => t.ClosedAt).ThenByDescending(t => t.Id).Take(recentCount)
                .Select(t => new DoneRow(t.ServiceId, t.CalledAt, t.ClosedAt)).ToList();
        }

        var average = services.ToDictionary(s => s.Id, s =>
        {
            var recent = done.Where(d => d.ServiceId == s.Id).Take(RecentCompletions).Select(d => d.ClosedAt!.Value - d.CalledAt!.Value).ToList();
            return AverageServiceMinutes(recent, s.DefaultServiceMinutes);
        });
        var agents = present.Where(p => counters.ContainsKey(p.CounterId)).Select(p =>
        {
            var current = busy.FirstOrDefault(b => b.AgentId == p.AgentId);
            return new PresentAgent(p.CounterId, counters[p.CounterId], current?.ServiceId, current?.CalledAt, p.AgentId);
        }).ToList();
        var order = new CallOrder(services.Where(s => s.AppointmentsAfterPreferential).Select(s => s.Id).ToArray(), [])
        {
            SignedInAgents = signedIn.Select(s => s.AgentId).Distinct().ToArray(), StaffedCounters = signedIn.Select(s => s.CounterId).Distinct().ToArray(),
        };
        return new BranchWaitModel(now, agents, average, WaitingTicket.InLine(waiting, order, now), order);
    }
}

/// <summary>An agent at work now: their counter and its services, and what they are serving (if anything) since when.</summary>
public sealed record PresentAgent(int CounterId, IReadOnlyCollection<int> Services, int? BusyServiceId = null, DateTime? BusySince = null,
    string? AgentId = null);

/// <summary>
/// A waiting ticket as Call next sees it: its rank now and once due (<see cref="CallOrder"/>; they differ only for an
/// appointment that arrived early), its place, the counter it was transferred to, if any, and its assignee (<see cref="Ticket.AssignTo"/>).
/// </summary>
public sealed record WaitingTicket(int ServiceId, long Id, DateTime DueAt, int RankNow, int RankDue, int? TargetCounterId = null,
    string? AssignedAgentId = null, int? AssignedCounterId = null, DateTime? AssignedUntil = null)
{
    public static IReadOnlyList<WaitingTicket> InLine(IEnumerable<Ticket> waiting, CallOrder order, DateTime now)
    {
        var (rankNow, rankDue) = (order.InMemory(now), order.InMemory(DateTime.MaxValue));
        return waiting.Select(t => new WaitingTicket(t.ServiceId, t.Id, t.DueAt, rankNow(t), rankDue(t), t.TargetCounterId,
            t.AssignedAgentId, t.AssignedCounterId, t.AssignedUntil)).ToList();
    }

    /// <summary>
    /// <see cref="CallOrder.Callable"/> in the replay: whether <paramref name="agent"/> may call it at <paramref name="at"/>
    /// (its transfer target, then its assignee's reservation, which an assignee not signed in does not hold).
    /// </summary>
    public bool CallableBy(PresentAgent agent, DateTime at, CallOrder signedIn) =>
        (TargetCounterId is null || TargetCounterId == agent.CounterId) && !ReservedFor(agent, at, signedIn);

    /// <summary>Held for its assignee at <paramref name="at"/>, and <paramref name="agent"/> is not it.</summary>
    public bool ReservedFor(PresentAgent agent, DateTime at, CallOrder signedIn) => AssignedUntil > at && (AssignedAgentId is not null
        ? AssignedAgentId != agent.AgentId && signedIn.SignedInAgents.Contains(AssignedAgentId)
        : AssignedCounterId is { } c && c != agent.CounterId && signedIn.StaffedCounters.Contains(c));

    public (int Rank, DateTime DueAt, long Id) KeyAt(DateTime at) => (DueAt > at ? RankNow : RankDue, DueAt, Id);
}

/// <summary>
/// The wait estimate of one branch at one moment. It replays Call next on the line as it stands: each agent present (not
/// paused) takes, whenever free, the first ticket of their counter's services in call order, and each turn lasts its
/// service's recent average. A ticket's estimate is when the replay calls it; a newcomer's, when an agent of its service
/// first has nothing ahead of them. Arrivals after now are not foreseen.
/// </summary>
public sealed class BranchWaitModel
{
    readonly DateTime now;
    readonly IReadOnlyDictionary<int, double> averageMinutes;
    /// <summary>Per service, the minutes (from now) at which the replay calls its tickets, in order.</summary>
    readonly Dictionary<int, List<double>> calls = [];
    /// <summary>Per service, the minutes at which one of its agents first has nothing that goes before a newcomer.</summary>
    readonly Dictionary<int, double> joins = [];
    readonly Dictionary<int, int> pool = [];

    /// <summary>Who is signed in (<see cref="CallOrder.SignedInAgents"/>, <see cref="CallOrder.StaffedCounters"/>): whose reservations hold.</summary>
    readonly CallOrder signedIn;

    /// <param name="signedIn">Who is signed in, paused ones too; null: the present agents.</param>
    public BranchWaitModel(DateTime now, IReadOnlyList<PresentAgent> agents, IReadOnlyDictionary<int, double> averageMinutes, IReadOnlyList<WaitingTicket> waiting,
        CallOrder? signedIn = null)
    {
        (this.now, this.averageMinutes) = (now, averageMinutes);
        this.signedIn = signedIn ?? new CallOrder([], [])
        {
            SignedInAgents = agents.Select(a => a.AgentId).OfType<string>().Distinct().ToArray(),
            StaffedCounters = agents.Select(a => a.CounterId).Distinct().ToArray(),
        };
        foreach (var s in agents.SelectMany(a => a.Services)) pool[s] = pool.GetValueOrDefault(s) + 1;
        Replay(agents, waiting);
    }

    public double AverageMinutes(int serviceId) => averageMinutes.GetValueOrDefault(serviceId, 5);

    /// <summary>One turn of the service in the replay: its average, at least half a minute.</summary>
    double Turn(int serviceId) => Math.Max(0.5, AverageMinutes(serviceId));

    /// <summary>Agents present now (not paused) whose counter serves the service.</summary>
    public int AgentsFor(int serviceId) => pool.GetValueOrDefault(serviceId);

    /// <summary>
    /// Minutes until the ticket of the service with <paramref name="peopleAhead"/> of its own service before it in call order
    /// is called: the replay's call of that place in the line, or, past the line's end, a newcomer's.
    /// </summary>
    public int Minutes(int serviceId, int peopleAhead)
    {
        var line = calls.GetValueOrDefault(serviceId) ?? [];
        var minutes = peopleAhead < line.Count ? line[peopleAhead]
            // Past the end: the newcomer's moment, then one turn per place beyond it, shared by the service's agents
            // (nobody present: as if one agent were).
            : joins.GetValueOrDefault(serviceId, line.Count > 0 ? line[^1] : 0)
              + (peopleAhead - line.Count) * Turn(serviceId) / Math.Max(1, AgentsFor(serviceId));
        return minutes <= 0 ? 0 : (int)Math.Ceiling(minutes - 1e-9);
    }

    void Replay(IReadOnlyList<PresentAgent> agents, IReadOnlyList<WaitingTicket> waiting)
    {
        // Per service two lists, each with its best ticket first at any moment: the tickets whose rank does not change, in
        // call order, and the appointments that arrived early, by the time they fall due (then they go first).
        var lines = waiting.GroupBy(t => t.ServiceId).ToDictionary(g => g.Key, g => new[]
        {
            g.Where(t => t.RankNow == t.RankDue).OrderBy(t => t.KeyAt(now)).ToList(),
            g.Where(t => t.RankNow != t.RankDue).OrderBy(t => t.DueAt).ThenBy(t => t.Id).ToList(),
        });
        foreach (var s in lines.Keys) calls[s] = [];
        // Each agent is free when their current turn ends: what is left of its average, but never less than a quarter of
        // it (a turn that has run long is not about to end at once).
        var free = new PriorityQueue<PresentAgent, (double Minutes, int Index)>();
        for (var i = 0; i < agents.Count; i++)
        {
            var (a, left) = (agents[i], 0.0);
            if (a.BusySince is { } since)
            {
                var average = AverageMinutes(a.BusyServiceId ?? 0);
                left = Math.Max(average / 4, average - (now - since).TotalMinutes);
            }
            free.Enqueue(a, (left, i));
        }
        var newcomer = (Rank: CallOrder.OrdinaryRank, DueAt: now.AddTicks(1), Id: long.MaxValue);
        while (free.TryDequeue(out var agent, out var at))
        {
            var time = now.AddTicks((long)Math.Round(at.Minutes * TimeSpan.TicksPerMinute)); // exact ticks: a release time is met, not missed by rounding
            (WaitingTicket Ticket, List<WaitingTicket> List)? next = null;
            var mine = agent.Services.Where(lines.ContainsKey).SelectMany(s => lines[s]).ToList();
            foreach (var list in mine)
            {
                var first = list.FirstOrDefault(t => t.CallableBy(agent, time, signedIn));
                if (first is not null && (next is null || first.KeyAt(time).CompareTo(next.Value.Ticket.KeyAt(time)) < 0)) next = (first, list);
            }
            foreach (var s in agent.Services)
                if (next is null || next.Value.Ticket.KeyAt(time).CompareTo(newcomer) > 0) joins.TryAdd(s, at.Minutes);
            if (next is not { } pick)
            {
                // Only tickets held for another agent are left: this one may take them once the first hold runs out.
                var held = mine.SelectMany(l => l).Where(t => (t.TargetCounterId is null || t.TargetCounterId == agent.CounterId) && t.ReservedFor(agent, time, signedIn))
                    .Select(t => (DateTime?)t.AssignedUntil).Min();
                if (held is { } release) free.Enqueue(agent, ((release - now).TotalMinutes, at.Index));
                continue; // else nothing left for this agent, and no arrivals are foreseen
            }
            pick.List.Remove(pick.Ticket);
            calls[pick.Ticket.ServiceId].Add(at.Minutes);
            free.Enqueue(agent, (at.Minutes + Turn(pick.Ticket.ServiceId), at.Index));
        }
    }
}
