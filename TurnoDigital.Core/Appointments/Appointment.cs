using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;

namespace TurnoDigital.Core.Appointments;

public enum AppointmentStatus { Booked, CheckedIn, Cancelled, NoShow }

/// <summary>A cita: a booked slot of a schedulable service, from any channel.</summary>
public class Appointment
{
    public const int CodeMax = 10, IntakeMax = 4000;

    public long Id { get; set; }
    /// <summary>Short code people type or scan (QR) to manage or check in.</summary>
    public string Code { get; set; } = "";
    public int BranchId { get; set; }
    public int ServiceId { get; set; }
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public DateTime Start { get; set; }
    public DateTime End { get; set; }
    public AppointmentStatus Status { get; set; }
    public Channel Channel { get; set; }
    /// <summary>Custom intake answers as JSON (standard fields live on the customer).</summary>
    public string? IntakeData { get; set; }
    /// <summary>Idempotency key of the booking request: a retried request creates nothing twice.</summary>
    public Guid? RequestId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CheckedInAt { get; set; }
    public DateTime? CancelledAt { get; set; }
    public long? TicketId { get; set; }
    public int Version { get; set; }

    public bool IsActive => Status == AppointmentStatus.Booked;

    public void Cancel(DateTime now)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.CancelOnlyBooked");
        Status = AppointmentStatus.Cancelled;
        CancelledAt = now;
        Version++;
    }

    public void CheckIn(DateTime now)
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.NotBooked");
        Status = AppointmentStatus.CheckedIn;
        CheckedInAt = now;
        Version++;
    }

    public void MarkNoShow()
    {
        if (Status != AppointmentStatus.Booked) throw new DomainException("Appointment.NoShowOnlyBooked");
        Status = AppointmentStatus.NoShow;
        Version++;
    }
}

/// <summary>Places taken in one slot; a conditional increment below capacity makes the last seat go to one request only.</summary>
public class AppointmentSlot
{
    public int BranchId { get; set; }
    public int ServiceId { get; set; }
    public DateTime Start { get; set; }
    public int Booked { get; set; }
}
