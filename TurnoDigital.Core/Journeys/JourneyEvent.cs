using System.Text.Json;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Journeys;

public enum JourneyEventKind
{
    TicketIssued, TicketCalled, TicketRecalled, ServiceStarted, ServiceCompleted,
    TicketNoShow, TicketTransferred, TicketExpired, ConsentGiven,
    AppointmentBooked, AppointmentRescheduled, AppointmentCancelled, AppointmentCheckedIn, AppointmentNoShow,
    AppointmentConfirmed, ServiceRated, OptedOut, RemoteTicketIssued, ArrivalConfirmed, TicketCancelled,
    ServiceClosedBySystem, TicketNotArrived,
    TicketReactivated,
    /// <summary>An ordinary ticket was called by the fairness rule after consecutive preferential calls at the counter.</summary>
    FairnessTurn,
    /// <summary>A checked-in appointment's ticket was assigned to an agent (or counter), whose desk was notified (data: who, signed in, until when).</summary>
    AssignedAgentNotified,
}

/// <summary>An audit row a journey event implies (sensitive moves): the action and its short details.</summary>
public sealed record AuditNote(string Action, object Details);

/// <summary>
/// Append-only log of every step of a visit; panels and reports read it. Rows are recorded by the entities' transitions
/// (<see cref="Ticket"/>, <see cref="Appointment"/>) and written by <see cref="JourneyInterceptor"/>.
/// </summary>
public class JourneyEvent
{
    public const int DataMax = 1000;

    public long Id { get; set; }
    public int BranchId { get; set; }
    public int? CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public long? AppointmentId { get; set; }
    public Appointment? Appointment { get; set; }
    public long? TicketId { get; set; }
    public Ticket? Ticket { get; set; }
    public JourneyEventKind Kind { get; set; }
    public Channel Channel { get; set; }
    public DateTime At { get; set; }
    public string? ActorId { get; set; }
    public int? CounterId { get; set; }
    public int? ServiceId { get; set; }
    /// <summary>Short JSON with what else matters for this event (no personal data).</summary>
    public string? Data { get; set; }
    /// <summary>The ticket's segment the event belongs to (null for appointment events); a transfer ends its segment.</summary>
    public int? Segment { get; set; }
    /// <summary>Not stored: the audit row this event implies, written by the same save.</summary>
    public AuditNote? Audit { get; init; }

    /// <summary>A step of a ticket, where it happened (its counter and service at that moment).</summary>
    internal static JourneyEvent Of(Ticket t, JourneyEventKind kind, Channel channel, DateTime at, string? actorId, object? data, AuditNote? audit) => new()
    {
        BranchId = t.BranchId, Ticket = t, Kind = kind, Channel = channel, At = at, ActorId = actorId,
        CounterId = t.CounterId, ServiceId = t.ServiceId, Data = Json(data), Audit = audit, Segment = t.Segment,
    };

    /// <summary>A step of an appointment; the channel is where it happened (booked on the web, checked in at the kiosk…).</summary>
    internal static JourneyEvent Of(Appointment a, JourneyEventKind kind, Channel channel, DateTime at, string? actorId, object? data,
        AuditNote? audit = null) => new()
    {
        BranchId = a.BranchId, Appointment = a, Kind = kind, Channel = channel, At = at, ActorId = actorId,
        ServiceId = a.ServiceId, Data = Json(data), Audit = audit,
    };

    static string? Json(object? data) => data is null ? null : JsonSerializer.Serialize(data);
}
