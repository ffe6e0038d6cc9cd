namespace TurnoDigital.Core.Queueing;

/// <summary>
/// A closed segment of a visit: its wait and service in one service, ended by a transfer (or by a no-show later reactivated).
/// The current segment lives on the <see cref="Ticket"/> row; per-service KPIs read both (KPI-DEFINITIONS "transfer").
/// </summary>
public class TicketSegment
{
    public long Id { get; private set; }
    public long TicketId { get; private set; }
    /// <summary>1 for the segment that began at issue.</summary>
    public int Number { get; private set; }
    public int ServiceId { get; private set; }
    /// <summary>When its wait began: the ticket's due time in the first segment, the transfer or reactivation after.</summary>
    public DateTime WaitFrom { get; private set; }
    public DateTime? CalledAt { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime EndedAt { get; private set; }
    /// <summary>Its wait (start → first call) and service time (start → end), null when not called or not started; see <see cref="Ticket.WaitSeconds"/>.</summary>
    public int? WaitSeconds { get; private set; }
    public int? ServiceSeconds { get; private set; }

    TicketSegment() { }

    internal static TicketSegment Close(Ticket t, DateTime now) => new()
    {
        Number = t.Segment, ServiceId = t.ServiceId, WaitFrom = t.SegmentFrom ?? t.DueAt,
        // Tickets called before segments existed have only FirstCalledAt.
        CalledAt = t.SegmentCalledAt ?? (t.Segment == 1 ? t.FirstCalledAt : null),
        StartedAt = t.StartedAt, EndedAt = now,
        WaitSeconds = t.WaitSeconds, ServiceSeconds = t.StartedAt is { } started ? KpiSeconds.Between(started, now) : null,
    };
}
