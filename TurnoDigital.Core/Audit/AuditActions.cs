namespace TurnoDigital.Core.Audit;

/// <summary>The stable verbs of <see cref="AuditEntry.Action"/>.</summary>
public static class AuditActions
{
    public const string TicketNoShow = "ticket.no-show";
    public const string TicketTransferred = "ticket.transferred";
    public const string TicketArrivalConfirmed = "ticket.arrival-confirmed";
    public const string AppointmentCheckedIn = "appointment.checked-in";
}
