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
    /// Checked-in appointments due now; then preferential before ordinary, first come first served; then appointments
    /// that arrived early, once nobody else is waiting. One SQL ORDER BY (Appointment &lt; Preferential &lt; Ordinary).
    /// </summary>
    public static IOrderedQueryable<Ticket> InCallOrder(this IQueryable<Ticket> waiting, DateTime now) =>
        waiting.OrderBy(t => t.Priority == PriorityClass.Appointment && t.DueAt > now ? 1 : 0)
            .ThenBy(t => t.Priority).ThenBy(t => t.DueAt).ThenBy(t => t.Id);

    /// <summary>
    /// Waiting tickets of the same service and day that Call next takes before <paramref name="t"/>: the status page's
    /// "people ahead", in <see cref="InCallOrder"/>'s tiers (an appointment that arrived early waits after the walk-ins).
    /// A ticket not saved yet (no id) goes after equals.
    /// </summary>
    public static IQueryable<Ticket> AheadOf(this IQueryable<Ticket> tickets, Ticket t, DateTime now)
    {
        var (branchId, serviceId, day, priority, dueAt) = (t.BranchId, t.ServiceId, t.ServiceDay, t.Priority, t.DueAt);
        var id = t.Id == 0 ? long.MaxValue : t.Id;
        var tier = t.Priority == PriorityClass.Appointment && t.DueAt > now ? 1 : 0;
        return tickets.Where(o => o.BranchId == branchId && o.ServiceId == serviceId && o.ServiceDay == day && o.Status == TicketStatus.Waiting
            && ((o.Priority == PriorityClass.Appointment && o.DueAt > now ? 1 : 0) < tier
                || ((o.Priority == PriorityClass.Appointment && o.DueAt > now ? 1 : 0) == tier
                    && (o.Priority < priority || (o.Priority == priority && (o.DueAt < dueAt || (o.DueAt == dueAt && o.Id < id)))))));
    }
}
