using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// The one call-order policy: a rank per waiting ticket (lower is called first), then first come first served
/// (<see cref="CounterLine.InCallOrder"/>). Call next, the desk's line, "people ahead" and the estimator all use it.
/// Ranks: due appointment (when before preferential) 0 · ordinary given its turn by the fairness rule 1 · preferential 2 ·
/// due appointment (when after preferential) 3 · ordinary 4 · appointment that arrived early 5. An appointment's ticket
/// assigned to an agent or counter (<see cref="Ticket.AssignTo"/>) is callable only by its assignee until its
/// <see cref="Ticket.AssignedUntil"/>, unless the assignee is not signed in (<see cref="Callable"/>).
/// </summary>
/// <param name="AppointmentsAfterPreferential">Services whose due appointments wait after preferential walk-ins.</param>
/// <param name="OrdinaryFirst">Services whose ordinary tickets go first at this counter now (the fairness rule applies).</param>
public sealed record CallOrder(int[] AppointmentsAfterPreferential, int[] OrdinaryFirst)
{
    /// <summary>An ordinary ticket's rank (no fairness turn): where a newcomer to a walk-in line goes.</summary>
    public const int OrdinaryRank = 4;

    /// <summary>The services' own settings, without a counter's fairness turn (status pages, the board's lines).</summary>
    public static CallOrder For(IEnumerable<Service> services) =>
        new(services.Where(s => s.AppointmentsAfterPreferential).Select(s => s.Id).ToArray(), []);

    /// <summary>
    /// The order at one counter: its services' settings plus the fairness rule, which gives an ordinary ticket of a
    /// service its turn once the counter's consecutive preferential calls reach that service's limit.
    /// </summary>
    public static CallOrder ForCounter(Counter counter) => ForCounter(counter.Services, counter.PreferentialStreak);

    /// <summary><see cref="ForCounter(Counter)"/> with the counter's services (from the configuration cache) and its fairness count read apart.</summary>
    public static CallOrder ForCounter(IReadOnlyCollection<Service> services, int preferentialStreak) => For(services) with
    {
        OrdinaryFirst = services.Where(s => s.OrdinaryAfterPreferentialCalls > 0 && preferentialStreak >= s.OrdinaryAfterPreferentialCalls)
            .Select(s => s.Id).ToArray(),
    };

    /// <summary>
    /// The estimator's replay (<see cref="WaitingTicket.CallableBy"/>): the agents and counters signed in at the branch now
    /// (an assignee who is not gets no reservation).
    /// </summary>
    public string[] SignedInAgents { get; init; } = [];
    public int[] StaffedCounters { get; init; } = [];

    /// <summary>The sessions that count as signed in: open, and their desk beat lately (<see cref="PresenceService.HeartbeatGap"/>); paused ones too.</summary>
    public static IQueryable<CounterSession> SignedIn(IQueryable<CounterSession> sessions, int branchId, DateTime now) =>
        sessions.Where(SignedInRule.For(new(branchId, now - PresenceService.HeartbeatGap)));

    internal static readonly Rule<CounterSession, Presence, bool> SignedInRule = new((s, p) => s.BranchId == p.BranchId && s.EndedAt == null && s.LastSeenAt >= p.Since);

    /// <param name="Since">When a desk's last beat must be after to count as signed in: now − <see cref="PresenceService.HeartbeatGap"/>.</param>
    internal sealed record Presence(int BranchId, DateTime Since);

    /// <summary>
    /// Whether the agent at the desk may take the ticket now: it is not reserved, its reservation ran out, the caller is its
    /// assignee, or its assignee is not signed in (nobody waits for an absent agent). Who is signed in is read in the same
    /// statement (<see cref="Desk.SignedIn"/>), only for a ticket still reserved. Call next's (<see cref="CounterLine.Candidates"/>).
    /// </summary>
    internal static readonly TicketRule<Desk, bool> Callable = new((t, d) => t.AssignedUntil == null || t.AssignedUntil <= d.Now
        || (t.AssignedAgentId != null && (t.AssignedAgentId == d.AgentId || !d.SignedIn.Any(s => s.AgentId == t.AssignedAgentId)))
        || (t.AssignedAgentId == null && (t.AssignedCounterId == null || t.AssignedCounterId == d.CounterId
            || !d.SignedIn.Any(s => s.CounterId == t.AssignedCounterId))));

    /// <param name="SignedIn">The branch's sessions that count as signed in (<see cref="SignedInRule"/>).</param>
    internal sealed record Desk(IQueryable<CounterSession> SignedIn, int CounterId, string AgentId, DateTime Now);

    /// <summary>The rank as one SQL expression (it also runs in memory: the live views, the estimator, "people ahead").</summary>
    internal static readonly TicketRule<Values, int> RankRule = new((t, v) =>
        t.Priority == PriorityClass.Appointment
            ? (t.DueAt > v.Now ? 5 : v.After.Contains(t.ServiceId) ? 3 : 0)
            : t.Priority == PriorityClass.Preferential ? 2
            : v.First.Contains(t.ServiceId) ? 1 : OrdinaryRank);

    internal sealed record Values(DateTime Now, int[] After, int[] First);

    Values At(DateTime now) => new(now, AppointmentsAfterPreferential, OrdinaryFirst);

    /// <summary><see cref="RankRule"/> at <paramref name="now"/>, with its values as EF parameters.</summary>
    public Expression<Func<Ticket, int>> Rank(DateTime now) => RankRule.For(At(now));

    /// <summary><see cref="Rank"/> in memory.</summary>
    public Func<Ticket, int> InMemory(DateTime now) => RankRule.InMemory(At(now));

    /// <summary><c>o</c> is called before a ticket of rank <paramref name="rank"/> placed at (<paramref name="dueAt"/>, <paramref name="id"/>).</summary>
    public Expression<Func<Ticket, bool>> Before(DateTime now, int rank, DateTime dueAt, long id)
    {
        Expression<Func<int, Ticket, bool>> template = (r, o) => r < rank || (r == rank && (o.DueAt < dueAt || (o.DueAt == dueAt && o.Id < id)));
        var rankOf = Rank(now);
        var o = template.Parameters[1];
        var body = template.Body.Replace(template.Parameters[0], rankOf.Body.Replace(rankOf.Parameters[0], o));
        return Expression.Lambda<Func<Ticket, bool>>(body, o);
    }

    /// <summary>The rank of one ticket in memory.</summary>
    public int RankOf(Ticket t, DateTime now) => RankRule.Invoke(t, At(now));
}
