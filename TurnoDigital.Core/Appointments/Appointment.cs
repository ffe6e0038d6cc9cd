using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Appointments;

public enum AppointmentStatus { Booked, CheckedIn, Cancelled, NoShow }

/// <summary>Who cancelled: the person (any channel) or the branch (a closure or changed hours). Never a no-show either way.</summary>
public enum AppointmentCancelReason { Person, Branch }

/// <summary>
/// A cita: a booked slot of a schedulable service, from any channel. Its state changes are methods that guard their
/// precondition and record their journey event with the channel where they happened.
/// </summary>
public class Appointment : Entity
{
    /// <summary>Codes are <see cref="CodeLength"/> characters from an unambiguous alphabet (31^10 ≈ 2^49); older 8-character codes stay valid.</summary>
    public const int CodeMax = 10, CodeLength = 10, IntakeMax = 4000;

    public long Id { get; private set; }
    /// <summary>Short code people type or scan (QR) to manage or check in.</summary>
    public string Code { get; private set; } = "";
    public int BranchId { get; private set; }
    public int ServiceId { get; private set; }
    public int CustomerId { get; private set; }
    public Customer? Customer { get; private set; }
    public DateTime Start { get; private set; }
    public DateTime End { get; private set; }
    public AppointmentStatus Status { get; private set; }
    public Channel Channel { get; private set; }
    /// <summary>Custom intake answers as JSON (standard fields live on the customer).</summary>
    public string? IntakeData { get; private set; }
    /// <summary>The phone given for this booking: its confirmation, reminders and ticket messages go here, and only this number manages it on WhatsApp.</summary>
    public PhoneNumber? ContactPhone { get; private set; }
    /// <summary>The name and e-mail given for this booking (the customer keeps those of their first visit).</summary>
    public string? ContactName { get; private set; }
    public EmailAddress? ContactEmail { get; private set; }
    /// <summary>The WhatsApp consent given for this booking, for <see cref="ContactPhone"/>.</summary>
    public bool WhatsAppOptIn { get; private set; }
    /// <summary>Idempotency key of the booking request: a retried request creates nothing twice.</summary>
    public Guid? RequestId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? CheckedInAt { get; private set; }
    public DateTime? CancelledAt { get; private set; }
    public long? TicketId { get; private set; }
    /// <summary>The agent (or counter) chosen at booking who gets the check-in's ticket first (services with <see cref="Organization.AgentAssignment.AtBooking"/>).</summary>
    public string? AssignedAgentId { get; private set; }
    public int? AssignedCounterId { get; private set; }
    public int Version { get; private set; }
    /// <summary>Set when cancelled; null on rows cancelled before it existed (the person).</summary>
    public AppointmentCancelReason? CancelReason { get; private set; }

    Appointment() { }

    public bool CancelledByBranch => Status == AppointmentStatus.Cancelled && CancelReason == AppointmentCancelReason.Branch;

    public bool IsActive => Status == AppointmentStatus.Booked;

    /// <summary>A booking of <paramref name="start"/> (UTC) for one slot of the service, made on <paramref name="channel"/>.</summary>
    public static Appointment Book(Organization.Service service, Customer customer, DateTime start, string code, Channel channel,
        string? intakeData, Guid? requestId, DateTime now, string? actorId = null, ContactDetails? contact = null)
    {
        contact ??= ContactDetails.None;
        var a = new Appointment
        {
            Code = code, BranchId = service.BranchId, ServiceId = service.Id, Customer = customer,
            Start = start, End = start.AddMinutes(service.SlotMinutes), Status = AppointmentStatus.Booked, Channel = channel,
            IntakeData = intakeData, RequestId = requestId, CreatedAt = now,
            ContactPhone = contact.Phone, ContactName = contact.Name, ContactEmail = contact.Email, WhatsAppOptIn = contact.WhatsAppOptIn && contact.Phone is not null,
        };
        a.Log(JourneyEventKind.AppointmentBooked, channel, now, actorId, new { start });
        return a;
    }

    /// <summary>Chosen at booking: the agent, or else the counter, who will serve this appointment first.</summary>
    public void AssignTo(string? agentId, int? counterId)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.NotBooked");
        (AssignedAgentId, AssignedCounterId) = (agentId, agentId is null ? counterId : null);
    }

    /// <summary>Only a booked appointment can be moved, or one the branch cancelled (its person picks a new time from the notice's link).</summary>
    public void EnsureChangeable()
    {
        if (Status != AppointmentStatus.Booked && !CancelledByBranch) throw new DomainException("Appointment.ChangeOnlyBooked");
    }

    public void Reschedule(DateTime start, int slotMinutes, Channel channel, DateTime now, string? actorId = null)
    {
        EnsureChangeable();
        // The branch cancelled it and sent a link to pick a new time: the same appointment is booked again.
        if (CancelledByBranch) (Status, CancelReason, CancelledAt) = (AppointmentStatus.Booked, null, null);
        Log(JourneyEventKind.AppointmentRescheduled, channel, now, actorId, new { from = Start, to = start });
        Start = start;
        End = start.AddMinutes(slotMinutes);
        Version++;
    }

    public void Cancel(DateTime now, Channel channel, string? actorId = null)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.CancelOnlyBooked");
        Status = AppointmentStatus.Cancelled;
        CancelledAt = now;
        CancelReason = AppointmentCancelReason.Person;
        Version++;
        Log(JourneyEventKind.AppointmentCancelled, channel, now, actorId);
    }

    /// <summary>The branch closed or changed its hours and the admin chose to cancel this booking (audited with the whole decision).</summary>
    public void CancelByBranch(DateTime now, string? actorId)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.CancelOnlyBooked");
        Status = AppointmentStatus.Cancelled;
        CancelledAt = now;
        CancelReason = AppointmentCancelReason.Branch;
        Version++;
        Log(JourneyEventKind.AppointmentCancelled, Channel, now, actorId, new { by = "branch" });
    }

    /// <summary>The person arrived (<paramref name="channel"/>: kiosk, web QR, or an agent in person, which is audited) and got <paramref name="ticket"/>.</summary>
    public void CheckIn(Ticket ticket, Channel channel, DateTime now, string? actorId = null)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.NotBooked");
        Status = AppointmentStatus.CheckedIn;
        CheckedInAt = now;
        Version++;
        Log(JourneyEventKind.AppointmentCheckedIn, channel, now, actorId, audit: channel == Channel.InPerson
            ? new AuditNote(AuditActions.AppointmentCheckedIn, new { Code, ticket.Number }) : null);
    }

    /// <summary>
    /// An agent checks in an appointment past its late tolerance: the check-in, with the reason of the exception in the audit
    /// trail (not in the journey: the reason may name the person).
    /// </summary>
    public void CheckInLate(Ticket ticket, DateTime now, string actorId, string reason)
    {
        // A late arrival the no-show sweep already marked still arrived: attended, not a no-show.
        if (Status is not (AppointmentStatus.Booked or AppointmentStatus.NoShow)) throw new DomainException("Appointment.NotBooked");
        Status = AppointmentStatus.CheckedIn;
        CheckedInAt = now;
        Version++;
        Log(JourneyEventKind.AppointmentCheckedIn, Channel.InPerson, now, actorId, new { late = true },
            new AuditNote(AuditActions.AppointmentLateCheckIn, new { Code, ticket.Number, reason }));
    }

    /// <summary>Too late for its check-in, the person was served with a walk-in ticket instead: the appointment is kept (never a no-show).</summary>
    public void ServeAsWalkIn(Ticket ticket, Channel channel, DateTime now, string? actorId = null)
    {
        // A late arrival the no-show sweep already marked still arrived: attended, not a no-show.
        if (Status is not (AppointmentStatus.Booked or AppointmentStatus.NoShow)) throw new DomainException("Appointment.NotBooked");
        Status = AppointmentStatus.CheckedIn;
        CheckedInAt = now;
        Version++;
        Log(JourneyEventKind.AppointmentCheckedIn, channel, now, actorId, new { walkIn = true, ticket.Number }, channel == Channel.InPerson
            ? new AuditNote(AuditActions.AppointmentCheckedIn, new { Code, ticket.Number, walkIn = true }) : null);
    }

    /// <summary>Links the check-in's ticket once it has its id.</summary>
    public void LinkTicket(long ticketId)
    {
        if (Status != AppointmentStatus.CheckedIn || TicketId is not null) throw new DomainException("Appointment.AlreadyHasTicket");
        TicketId = ticketId;
    }

    public void MarkNoShow(DateTime now)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.NoShowOnlyBooked");
        Status = AppointmentStatus.NoShow;
        Version++;
        Log(JourneyEventKind.AppointmentNoShow, Channel, now);
    }

    /// <summary>The person confirmed they will come (the reminder's button on WhatsApp).</summary>
    public void Confirm(DateTime now)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.NotBooked");
        Log(JourneyEventKind.AppointmentConfirmed, Channel.WhatsApp, now);
    }

    /// <summary>The contact of this booking, carried to its check-in ticket.</summary>
    public ContactDetails Contact => new(ContactPhone, ContactName, ContactEmail, WhatsAppOptIn);

    void Log(JourneyEventKind kind, Channel channel, DateTime at, string? actorId = null, object? data = null, AuditNote? audit = null) =>
        Record(JourneyEvent.Of(this, kind, channel, at, actorId, data, audit));
}

/// <summary>Places taken in one slot; a conditional increment below capacity makes the last seat go to one request only.</summary>
public class AppointmentSlot
{
    public int BranchId { get; set; }
    public int ServiceId { get; set; }
    public DateTime Start { get; set; }
    public int Booked { get; set; }
}
