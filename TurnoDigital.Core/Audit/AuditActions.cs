namespace TurnoDigital.Core.Audit;

/// <summary>
/// The stable verbs of <see cref="AuditEntry.Action"/>. They are stored and filtered on, so a value never changes once released
/// (at most <see cref="AuditEntry.ActionMax"/> characters).
/// </summary>
public static class AuditActions
{
    public const string ApiKeyCreated = "apikey.created", ApiKeyRevoked = "apikey.revoked";
    public const string AppointmentCheckedIn = "appointment.checked-in";
    public const string BranchCreated = "branch.created", BranchUpdated = "branch.updated", HoursSet = "hours.set",
        ClosedDateAdded = "closed-date.added", ClosedDateRemoved = "closed-date.removed";
    /// <summary>What the admin decided about the bookings a closure or changed hours affected (kept, or cancelled with notices).</summary>
    public const string BookingsDecided = "bookings.decided", CallBackListDownloaded = "callback-list.downloaded";
    public const string MessageHoursSet = "message-hours.set";
    public const string CounterCreated = "counter.created", CounterUpdated = "counter.updated";
    public const string DayClosed = "day.closed";
    public const string ChannelOwnerSet = "channel-owner.set", AlertThresholdsSet = "alert-thresholds.set", AlertAcknowledged = "alert.acknowledged";
    public const string DeviceRegistered = "device.registered", DeviceCodeIssued = "device.code-issued",
        DeviceRevoked = "device.revoked", DevicePaired = "device.paired";
    public const string IntakeReplaced = "intake.replaced", ServiceCreated = "service.created", ServiceUpdated = "service.updated", SettingsUpdated = "settings.updated";
    public const string JourneyViewed = "journey.viewed";
    public const string MessageTextUpdated = "message-text.updated", MessageTextReset = "message-text.reset";
    /// <summary>An agent opened the desk's panel on the person at the counter (intake, messages, earlier visits).</summary>
    public const string PersonViewedAtDesk = "person.viewed-at-desk";
    public const string PersonExported = "person.exported", PersonErased = "person.erased", RetentionAnonymised = "retention.anonymised";
    public const string ReportExported = "report.exported", DailyReportDownloaded = "report.daily.downloaded";
    public const string TicketNoShow = "ticket.no-show", TicketTransferred = "ticket.transferred", TicketArrivalConfirmed = "ticket.arrival-confirmed";
    public const string TicketReactivated = "ticket.reactivated", AppointmentLateCheckIn = "appointment.late-check-in";
    public const string UserCreated = "user.created", UserRolesChanged = "user.roles-changed", UserBranchesSet = "user.branches-set",
        UserDisabled = "user.disabled", UserEnabled = "user.enabled", UserPasswordReset = "user.password-reset";
}
