using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Journeys;

public enum JourneyEventKind
{
    TicketIssued, TicketCalled, TicketRecalled, ServiceStarted, ServiceCompleted,
    TicketNoShow, TicketTransferred, TicketExpired, ConsentGiven,
    AppointmentBooked, AppointmentRescheduled, AppointmentCancelled, AppointmentCheckedIn, AppointmentNoShow,
    AppointmentConfirmed, ServiceRated, OptedOut, RemoteTicketIssued, ArrivalConfirmed, TicketCancelled,
}

/// <summary>Append-only log of every step of a visit; panels and reports read it.</summary>
public class JourneyEvent
{
    public const int DataMax = 1000;

    public long Id { get; set; }
    public int BranchId { get; set; }
    public int? CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public long? AppointmentId { get; set; }
    public Appointments.Appointment? Appointment { get; set; }
    public long? TicketId { get; set; }
    public Queueing.Ticket? Ticket { get; set; }
    public JourneyEventKind Kind { get; set; }
    public Channel Channel { get; set; }
    public DateTime At { get; set; }
    public string? ActorId { get; set; }
    public int? CounterId { get; set; }
    public int? ServiceId { get; set; }
    /// <summary>Short JSON with what else matters for this event (no personal data).</summary>
    public string? Data { get; set; }
}
