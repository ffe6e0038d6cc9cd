using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Queueing;

/// <summary>Remote: taken from WhatsApp or the web and not yet in line (the arrival rule asks the person to confirm arrival).</summary>
public enum TicketStatus { Waiting, Called, Serving, Completed, NoShow, Expired, Cancelled, Remote }

/// <summary>Priority class, fixed at issue; lower value is called first.</summary>
public enum PriorityClass { Appointment = 0, Preferential = 1, Ordinary = 2 }

/// <summary>Why a ticket is preferential (Colombian law on preferential attention).</summary>
public enum PreferentialReason { OlderAdult, Pregnancy, Disability, ChildInArms }

/// <summary>A turno. Its state changes are methods that guard their preconditions.</summary>
public class Ticket
{
    public const int NumberMax = 8, CodeMax = 12, NoteMax = 500;

    public long Id { get; set; }
    public int BranchId { get; set; }
    public int ServiceId { get; set; }
    /// <summary>The local day the number belongs to (numbering restarts each day).</summary>
    public DateOnly ServiceDay { get; set; }
    public int Sequence { get; set; }
    /// <summary>The number people see, e.g. "A-012".</summary>
    public string Number { get; set; } = "";
    /// <summary>Unguessable public code for the status page /t/{code}.</summary>
    public string Code { get; set; } = "";
    /// <summary>Client-generated id of the issuing request, so a double tap issues one ticket.</summary>
    public Guid? RequestId { get; set; }
    public Channel Channel { get; set; }
    public PriorityClass Priority { get; set; } = PriorityClass.Ordinary;
    public PreferentialReason? PreferentialReason { get; set; }
    public TicketStatus Status { get; set; } = TicketStatus.Waiting;
    public int? CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    /// <summary>Custom intake answers as JSON, like <see cref="Appointments.Appointment.IntakeData"/> (standard fields live on the customer).</summary>
    public string? IntakeData { get; set; }

    /// <summary>Issue time; kept on transfer so the person keeps their place.</summary>
    public DateTime IssuedAt { get; set; }
    /// <summary>Place in line: the issue time, or for an appointment the later of check-in and its start.</summary>
    public DateTime DueAt { get; set; }
    public long? AppointmentId { get; set; }
    public Appointments.Appointment? Appointment { get; set; }
    /// <summary>When set, only this counter may call the ticket (a transfer to a counter).</summary>
    public int? TargetCounterId { get; set; }
    public int? CounterId { get; set; }
    public string? AgentId { get; set; }
    public DateTime? FirstCalledAt { get; set; }
    public DateTime? CalledAt { get; set; }
    /// <summary>How many times it was announced in the current call (1 = first call, 2+ = recalls).</summary>
    public int CallCount { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? OutcomeNote { get; set; }
    /// <summary>The person's 1–5 rating after service (from WhatsApp or the status page).</summary>
    public int? Rating { get; set; }
    public DateTime? RatedAt { get; set; }
    /// <summary>When a remote ticket's holder confirmed arrival (kiosk "Llegué" or desk).</summary>
    public DateTime? ArrivedAt { get; set; }
    /// <summary>App-managed concurrency token (SQLite generates no row versions).</summary>
    public int Version { get; set; }

    public static string FormatNumber(string prefix, int sequence) => $"{prefix}-{sequence:000}";

    public bool IsOpen => Status is TicketStatus.Waiting or TicketStatus.Called or TicketStatus.Serving;

    public void Recall(string agentId, DateTime now)
    {
        Require(TicketStatus.Called, "Ticket.RecallOnlyCalled");
        RequireAgent(agentId);
        CallCount++;
        CalledAt = now;
        Touch();
    }

    public void Start(string agentId, DateTime now)
    {
        Require(TicketStatus.Called, "Ticket.StartOnlyCalled");
        RequireAgent(agentId);
        Status = TicketStatus.Serving;
        StartedAt = now;
        Touch();
    }

    public void Complete(string agentId, DateTime now, string? note)
    {
        Require(TicketStatus.Serving, "Ticket.FinishOnlyServing");
        RequireAgent(agentId);
        Status = TicketStatus.Completed;
        ClosedAt = now;
        OutcomeNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim()[..Math.Min(note.Trim().Length, NoteMax)];
        Touch();
    }

    public void MarkNoShow(string agentId, DateTime now)
    {
        Require(TicketStatus.Called, "Ticket.NoShowOnlyCalled");
        RequireAgent(agentId);
        if (CallCount < 2)
            throw new DomainException("Ticket.RecallBeforeNoShow");
        Status = TicketStatus.NoShow;
        ClosedAt = now;
        Touch();
    }

    /// <summary>Back to the line of another service or counter; IssuedAt is kept for fairness.</summary>
    public void Transfer(string agentId, int serviceId, int? targetCounterId)
    {
        if (Status is not (TicketStatus.Called or TicketStatus.Serving))
            throw new DomainException("Ticket.TransferOnlyCalledOrServing");
        RequireAgent(agentId);
        if (serviceId == ServiceId && targetCounterId is null)
            throw new DomainException("Ticket.TransferTargetRequired");
        Status = TicketStatus.Waiting;
        ServiceId = serviceId;
        TargetCounterId = targetCounterId;
        CounterId = null;
        AgentId = null;
        CalledAt = null;
        StartedAt = null;
        CallCount = 0;
        Touch();
    }

    /// <summary>Day close: whoever is still waiting or called when the branch closes, and remote tickets that never arrived.</summary>
    public void Expire(DateTime now)
    {
        if (Status is not (TicketStatus.Waiting or TicketStatus.Called or TicketStatus.Remote))
            throw new DomainException("Ticket.ExpireOnlyOpen");
        Status = TicketStatus.Expired;
        ClosedAt = now;
        Touch();
    }

    /// <summary>Taken from WhatsApp or the web (not at the branch, not an appointment's ticket).</summary>
    public bool IsRemote => Channel is Channel.Web or Channel.WhatsApp && AppointmentId is null;

    /// <summary>
    /// The place a remote ticket takes when its holder arrives at <paramref name="arrivedAt"/>: its issue time if they
    /// arrive within the fairness limit, else the end of the line.
    /// </summary>
    public static DateTime DueOnArrival(DateTime issuedAt, DateTime arrivedAt, int fairnessMinutes) =>
        arrivedAt - issuedAt <= TimeSpan.FromMinutes(fairnessMinutes) ? issuedAt : arrivedAt;

    /// <summary>The holder of a remote ticket is at the branch: it enters the line (<see cref="DueOnArrival"/>).</summary>
    public void ConfirmArrival(DateTime now, int fairnessMinutes)
    {
        if (Status == TicketStatus.Waiting && ArrivedAt is not null)
            throw new DomainException("Ticket.AlreadyInLine", Number);
        Require(TicketStatus.Remote, "Ticket.ConfirmOnlyRemote");
        Status = TicketStatus.Waiting;
        ArrivedAt = now;
        DueAt = DueOnArrival(IssuedAt, now, fairnessMinutes);
        Touch();
    }

    /// <summary>The holder gives up a ticket that has not been called yet; the place is freed.</summary>
    public void Cancel(DateTime now)
    {
        if (Status is not (TicketStatus.Remote or TicketStatus.Waiting))
            throw new DomainException("Ticket.CancelOnlyNotCalled");
        Status = TicketStatus.Cancelled;
        ClosedAt = now;
        Touch();
    }

    void Require(TicketStatus expected, string errorCode)
    {
        if (Status != expected) throw new DomainException(errorCode);
    }

    void RequireAgent(string agentId)
    {
        if (Status != TicketStatus.Waiting && AgentId is not null && AgentId != agentId)
            throw new DomainException("Ticket.OtherAgent");
    }

    void Touch() => Version++;
}
