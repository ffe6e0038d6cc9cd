namespace TurnoDigital.Core.Queueing;

/// <summary>The line a counter calls from, in the order Call next follows; the desk shows the same order.</summary>
public static class CounterLine
{
    /// <summary>
    /// Today's waiting tickets of the counter's services, including those transferred to this counter. Remote tickets whose
    /// holder has not confirmed arrival are <see cref="TicketStatus.Remote"/>, not Waiting, so they are never called.
    /// </summary>
    public static IQueryable<Ticket> WaitingFor(this IQueryable<Ticket> tickets, int branchId, int counterId, DateOnly day, IReadOnlyCollection<int> serviceIds) =>
        tickets.Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Waiting
            && serviceIds.Contains(t.ServiceId) && (t.TargetCounterId == null || t.TargetCounterId == counterId));

    /// <summary>
    /// Checked-in appointments due now (or after preferential, per service); then preferential before ordinary (save the
    /// fairness turn), first come first served; then appointments that arrived early. One SQL ORDER BY (<see cref="CallOrder"/>).
    /// </summary>
    /// <remarks><paramref name="order"/> is the services' (or the counter's) policy: required, so no caller silently orders without it.</remarks>
    public static IOrderedQueryable<Ticket> InCallOrder(this IQueryable<Ticket> waiting, DateTime now, CallOrder order) =>
        waiting.OrderBy(order.Rank(now)).ThenBy(t => t.DueAt).ThenBy(t => t.Id);

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
}
