using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>The line a counter calls from, in the order Call next follows; the desk shows the same order.</summary>
public static class CounterLine
{
    /// <summary>
    /// Today's waiting tickets of the counter's services, including those transferred to this counter. Remote tickets whose
    /// holder has not confirmed arrival are <see cref="TicketStatus.Remote"/>, not Waiting, so they are never called.
    /// </summary>
    public static IQueryable<Ticket> WaitingFor(this IQueryable<Ticket> tickets, int branchId, int counterId, DateOnly day, IReadOnlyCollection<int> serviceIds) =>
        tickets.Where(Waiting.For(new(branchId, counterId, day, serviceIds)));

    /// <summary><see cref="WaitingFor(IQueryable{Ticket}, int, int, DateOnly, IReadOnlyCollection{int})"/> over tickets in memory.</summary>
    public static IEnumerable<Ticket> WaitingFor(this IEnumerable<Ticket> tickets, int branchId, int counterId, DateOnly day, IReadOnlyCollection<int> serviceIds) =>
        tickets.Where(Waiting.InMemory(new(branchId, counterId, day, serviceIds)));

    sealed record Line(int BranchId, int CounterId, DateOnly Day, IReadOnlyCollection<int> ServiceIds);

    /// <summary>
    /// Call next's candidates at a desk as one compiled query, so a call skips EF's work on the query's expression (issue 17
    /// §2): <see cref="WaitingFor(IQueryable{Ticket}, int, int, DateOnly, IReadOnlyCollection{int})"/>, <see cref="CallOrder.Callable"/>
    /// and <see cref="InCallOrder(IQueryable{Ticket}, DateTime, CallOrder)"/> inlined, their values the query's parameters.
    /// </summary>
    /// <remarks>Parameters: branch, counter, day, the counter's services, agent, now, signed-in since, the order's
    /// <see cref="CallOrder.AppointmentsAfterPreferential"/> and <see cref="CallOrder.OrdinaryFirst"/>, how many.</remarks>
    internal static readonly PerModel<Func<TurnoDbContext, int, int, DateOnly, int[], string, DateTime, DateTime, int[], int[], int, IAsyncEnumerable<Ticket>>> Candidates =
        new(() => EF.CompileAsyncQuery(((Expression<Func<TurnoDbContext, int, int, DateOnly, int[], string, DateTime, DateTime, int[], int[], int, IQueryable<Ticket>>>)(
            (db, branchId, counterId, day, serviceIds, agentId, now, since, after, first, take) => db.Tickets.AsNoTracking()
                .Where(t => Waiting.Invoke(t, new Line(branchId, counterId, day, serviceIds))
                    && CallOrder.Callable.Invoke(t, new CallOrder.Desk(
                        db.CounterSessions.Where(s => CallOrder.SignedInRule.Invoke(s, new CallOrder.Presence(branchId, since))), counterId, agentId, now)))
                .OrderBy(t => CallOrder.RankRule.Invoke(t, new CallOrder.Values(now, after, first))).ThenBy(t => t.DueAt).ThenBy(t => t.Id)
                .Take(take))).Inline()));

    static readonly TicketRule<Line, bool> Waiting = new((t, l) => t.BranchId == l.BranchId && t.ServiceDay == l.Day && t.Status == TicketStatus.Waiting
        && l.ServiceIds.Contains(t.ServiceId) && (t.TargetCounterId == null || t.TargetCounterId == l.CounterId));

    /// <summary>
    /// Checked-in appointments due now (or after preferential, per service); then preferential before ordinary (save the
    /// fairness turn), first come first served; then appointments that arrived early. One SQL ORDER BY (<see cref="CallOrder"/>).
    /// </summary>
    /// <remarks><paramref name="order"/> is the services' (or the counter's) policy: required, so no caller silently orders without it.</remarks>
    public static IOrderedQueryable<Ticket> InCallOrder(this IQueryable<Ticket> waiting, DateTime now, CallOrder order) =>
        waiting.OrderBy(order.Rank(now)).ThenBy(t => t.DueAt).ThenBy(t => t.Id);

    /// <summary><see cref="InCallOrder(IQueryable{Ticket}, DateTime, CallOrder)"/> in memory: the same rank, then the same ties.</summary>
    public static IEnumerable<Ticket> InCallOrder(this IEnumerable<Ticket> waiting, DateTime now, CallOrder order) =>
        waiting.OrderBy(t => Place(t, now, order));

    /// <summary>A ticket's place in <see cref="InCallOrder(IQueryable{Ticket}, DateTime, CallOrder)"/>: rank, due time, id (a ticket not saved yet goes after equals).</summary>
    static (int Rank, DateTime DueAt, long Id) Place(Ticket t, DateTime now, CallOrder order) =>
        (order.RankOf(t, now), t.DueAt, t.Id == 0 ? long.MaxValue : t.Id);

    /// <summary>
    /// Waiting tickets of the same service and day that Call next takes before <paramref name="t"/>: the status page's
    /// "people ahead", in <see cref="InCallOrder"/>'s tiers (an appointment that arrived early waits after the walk-ins).
    /// A ticket not saved yet (no id) goes after equals.
    /// </summary>
    public static IQueryable<Ticket> AheadOf(this IQueryable<Ticket> tickets, Ticket t, DateTime now, CallOrder order)
    {
        var (branchId, serviceId, day) = (t.BranchId, t.ServiceId, t.ServiceDay);
        var id = t.Id == 0 ? long.MaxValue : t.Id;
        return tickets.Where(o => o.BranchId == branchId && o.ServiceId == serviceId && o.ServiceDay == day && o.Status == TicketStatus.Waiting)
            .Where(order.Before(now, order.RankOf(t, now), t.DueAt, id));
    }

    /// <summary><see cref="AheadOf(IQueryable{Ticket}, Ticket, DateTime, CallOrder)"/> over tickets in memory.</summary>
    public static IEnumerable<Ticket> AheadOf(this IEnumerable<Ticket> tickets, Ticket t, DateTime now, CallOrder order)
    {
        var place = Place(t, now, order);
        return tickets.Where(o => o.BranchId == t.BranchId && o.ServiceId == t.ServiceId && o.ServiceDay == t.ServiceDay && o.Status == TicketStatus.Waiting
            && Place(o, now, order).CompareTo(place) < 0);
    }
}
