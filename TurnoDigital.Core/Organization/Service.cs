namespace TurnoDigital.Core.Organization;

public enum ServiceMode { WalkIn, Schedulable, Both }

/// <summary>How a remote (WhatsApp or web) ticket joins the line.</summary>
public enum RemoteArrivalRule
{
    /// <summary>Waits as Remote until the person confirms arrival; then keeps its issue time up to a limit.</summary>
    ConfirmArrival,
    /// <summary>In line at once; a no-show if nobody answers the call.</summary>
    LiveAtOnce,
}

/// <summary>Who an appointment's ticket goes to first (<see cref="Queueing.CallOrder"/>).</summary>
public enum AgentAssignment
{
    /// <summary>Any counter serving the service.</summary>
    None,
    /// <summary>The agent or counter chosen when booking (desk or admin); none chosen: any counter.</summary>
    AtBooking,
    /// <summary>At check-in, in turn among the agents signed in to a counter serving the service.</summary>
    RoundRobin,
}

public class Service
{
    public const int NameMax = 100, PrefixMax = 3;

    public int Id { get; set; }
    public int BranchId { get; set; }
    public Branch? Branch { get; set; }
    public string Name { get; set; } = "";
    public string? NameEn { get; set; }
    /// <summary>Ticket number prefix, e.g. "A" → A-012.</summary>
    public string Prefix { get; set; } = "A";
    public ServiceMode Mode { get; set; } = ServiceMode.WalkIn;
    /// <summary>Assumed service time until the day has real completions.</summary>
    public int DefaultServiceMinutes { get; set; } = 5;
    /// <summary>Target wait (SLA) in minutes.</summary>
    public int TargetWaitMinutes { get; set; } = 15;
    /// <summary>Share of people (percent) to be called within <see cref="TargetWaitMinutes"/>: the staffing forecast's goal.</summary>
    public int TargetServiceLevelPercent { get; set; } = 80;
    public bool IsActive { get; set; } = true;

    // Appointments (Schedulable or Both).
    /// <summary>Length of one bookable slot, minutes.</summary>
    public int SlotMinutes { get; set; } = 20;
    /// <summary>How many people may book the same slot.</summary>
    public int CapacityPerSlot { get; set; } = 1;
    /// <summary>Booking window: at least this much notice…</summary>
    public int MinNoticeMinutes { get; set; } = 60;
    /// <summary>…and at most this many days ahead.</summary>
    public int MaxDaysAhead { get; set; } = 30;
    /// <summary>Check-in window: how early before the start and how late after it an appointment may check in.</summary>
    public int CheckInEarlyMinutes { get; set; } = 30;
    public int CheckInLateMinutes { get; set; } = 15;
    /// <summary>Appointments only inside these local minutes of an open day (e.g. mornings); walk-ins follow the branch hours.</summary>
    public int AppointmentsFromMinute { get; set; }
    public int AppointmentsToMinute { get; set; } = 24 * 60;
    /// <summary>Active (future, not cancelled) bookings one person may hold for this service.</summary>
    public int MaxActiveBookingsPerPerson { get; set; } = 2;

    // Virtual queue (walk-in services).
    public bool AllowsRemoteTickets { get; set; }
    /// <summary>Remote tickets that may wait at once.</summary>
    public int RemoteTicketCap { get; set; } = 20;
    public RemoteArrivalRule RemoteArrival { get; set; } = RemoteArrivalRule.ConfirmArrival;
    /// <summary>On arrival a remote ticket keeps its issue time if it arrives within this many minutes; later it goes to the end.</summary>
    public int RemoteFairnessMinutes { get; set; } = 60;
    /// <summary>How long after a ticket's no-show an agent or supervisor may still bring it back to the line.</summary>
    public int ReactivationWindowMinutes { get; set; } = 30;
    /// <summary>A reactivated ticket goes back to its original place (true) or to the end of the line.</summary>
    public bool ReactivateAtOriginalPlace { get; set; } = true;
    // Call order (see Queueing.CallOrder).
    /// <summary>Due appointments are called after preferential walk-ins; false (the default): before them.</summary>
    public bool AppointmentsAfterPreferential { get; set; }
    /// <summary>Fairness rule: after this many consecutive preferential calls at a counter, one ordinary ticket is called; 0 = off.</summary>
    public int OrdinaryAfterPreferentialCalls { get; set; }
    public const int MaxOrdinaryAfterPreferentialCalls = 50;
    /// <summary>Whether an appointment's ticket is assigned to an agent (or counter) who gets it first.</summary>
    public AgentAssignment AgentAssignment { get; set; }
    /// <summary>Minutes an assigned ticket waits for its agent before any counter serving the service may call it.</summary>
    public int AssignedReleaseMinutes { get; set; } = 5;
    public const int MaxAssignedReleaseMinutes = 120;
    public List<Counter> Counters { get; set; } = [];
    public List<IntakeField> IntakeFields { get; set; } = [];

    public bool TakesWalkIns => IsActive && Mode is ServiceMode.WalkIn or ServiceMode.Both;
    public bool TakesAppointments => IsActive && Mode is ServiceMode.Schedulable or ServiceMode.Both;

    public string DisplayName(bool english) => english && !string.IsNullOrWhiteSpace(NameEn) ? NameEn! : Name;
}
