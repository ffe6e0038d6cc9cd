namespace TurnoDigital.Core.Appointments;

public sealed record SlotView(DateTime StartUtc, DateTime StartLocal, int Free);

/// <summary>
/// What the person and the public pages see of an appointment (no personal data besides what they typed).
/// <paramref name="TicketCode"/>: the ticket its check-in issued (its status page's code), once checked in.
/// </summary>
public sealed record AppointmentView(
    long Id, string Code, int BranchId, string BranchName, string? BranchAddress, int ServiceId, string ServiceName, string? ServiceNameEn,
    DateTime StartUtc, DateTime StartLocal, DateTime EndLocal, AppointmentStatus Status, Common.Channel Channel, string TimeZoneId,
    AppointmentCancelReason? CancelReason = null, string? TicketCode = null)
{
    /// <summary>The branch cancelled it (a closure or changed hours): its person may pick a new time.</summary>
    public bool CancelledByBranch => Status == AppointmentStatus.Cancelled && CancelReason == AppointmentCancelReason.Branch;
}

/// <summary>
/// <paramref name="DataPolicyAccepted"/>: the person accepted the data policy shown on the channel (Ley 1581: never implied).
/// <paramref name="ContactPhone"/>: a number whose possession the channel proved (the WhatsApp sender); else the intake's phone.
/// <paramref name="AssignedAgentId"/> (or else <paramref name="AssignedCounterId"/>): who serves it first (desk and admin booking, <see cref="AgentAssignments"/>).
/// </summary>
public sealed record BookingRequest(
    int BranchId, int ServiceId, DateTime StartUtc, Common.Channel Channel, IntakeInput Intake, Guid RequestId,
    bool DataPolicyAccepted, bool WhatsAppConsent = false, string? ActorId = null, Customers.PhoneNumber? ContactPhone = null,
    string? AssignedAgentId = null, int? AssignedCounterId = null);

public enum CheckInOutcome { CheckedIn, TooEarly, TooLate }

public sealed record CheckInResult(CheckInOutcome Outcome, AppointmentView Appointment, Queueing.TicketStatusView? Ticket = null,
    DateTime? EarliestLocal = null, bool WalkInOffered = false);

/// <summary>What the assigned agent's desk shows when their appointment checks in (personal: only for that desk).</summary>
public sealed record AssignedArrivalView(long TicketId, string Number, string? PersonName, DateTime AppointmentLocal);
