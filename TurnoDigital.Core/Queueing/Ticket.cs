using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Queueing;

/// <summary>Remote: taken from WhatsApp or the web and not yet in line (the arrival rule asks the person to confirm arrival).
/// NotArrived: a remote ticket whose holder never arrived before the branch closed (not a walk-out).</summary>
public enum TicketStatus { Waiting, Called, Serving, Completed, NoShow, Expired, Cancelled, Remote, NotArrived }

/// <summary>Priority class, fixed at issue; lower value is called first.</summary>
public enum PriorityClass { Appointment = 0, Preferential = 1, Ordinary = 2 }

/// <summary>Why a ticket is preferential (Colombian law on preferential attention; Veteran: Ley 1979 de 2019).</summary>
public enum PreferentialReason { OlderAdult, Pregnancy, Disability, ChildInArms, Veteran }

/// <summary>
/// A turno. Every state change is a method that guards its precondition and records its journey event (channel, actor,
/// time); the save that persists it writes the event, its WhatsApp messages, audit and live update (<see cref="JourneyInterceptor"/>).
/// </summary>
public class Ticket : Entity
{
    public const int NumberMax = 8, CodeMax = 12, NoteMax = 500;

    public long Id { get; private set; }
    public int BranchId { get; private set; }
    public int ServiceId { get; private set; }
    /// <summary>The local day the number belongs to (numbering restarts each day).</summary>
    public DateOnly ServiceDay { get; private set; }
    public int Sequence { get; private set; }
    /// <summary>The number people see, e.g. "A-012".</summary>
    public string Number { get; private set; } = "";
    /// <summary>Unguessable public code for the status page /t/{code}.</summary>
    public string Code { get; private set; } = "";
    /// <summary>Client-generated id of the issuing request, so a double tap issues one ticket.</summary>
    public Guid? RequestId { get; private set; }
    public Channel Channel { get; private set; }
    public PriorityClass Priority { get; private set; } = PriorityClass.Ordinary;
    public PreferentialReason? PreferentialReason { get; private set; }
    public TicketStatus Status { get; private set; } = TicketStatus.Waiting;
    public int? CustomerId { get; private set; }
    public Customers.Customer? Customer { get; private set; }
    /// <summary>Custom intake answers as JSON, like <see cref="Appointments.Appointment.IntakeData"/> (standard fields live on the customer).</summary>
    public string? IntakeData { get; private set; }
    /// <summary>The phone given for this ticket (or its appointment's): its turn messages go here, and only this number manages it on WhatsApp.</summary>
    public Customers.PhoneNumber? ContactPhone { get; private set; }
    /// <summary>The name and e-mail given for this ticket (the customer keeps those of their first visit).</summary>
    public string? ContactName { get; private set; }
    public Customers.EmailAddress? ContactEmail { get; private set; }
    /// <summary>The WhatsApp consent given for this ticket, for <see cref="ContactPhone"/>.</summary>
    public bool WhatsAppOptIn { get; private set; }

    /// <summary>Issue time; kept on transfer so the person keeps their place.</summary>
    public DateTime IssuedAt { get; private set; }
    /// <summary>Place in line: the issue time, or for an appointment the later of check-in and its start.</summary>
    public DateTime DueAt { get; private set; }
    public long? AppointmentId { get; private set; }
    public Appointment? Appointment { get; private set; }
    /// <summary>When set, only this counter may call the ticket (a transfer to a counter).</summary>
    public int? TargetCounterId { get; private set; }
    /// <summary>The agent (or, when null, the counter <see cref="AssignedCounterId"/>) who gets this appointment's ticket first (<see cref="CallOrder"/>).</summary>
    public string? AssignedAgentId { get; private set; }
    public int? AssignedCounterId { get; private set; }
    /// <summary>Until then only the assignee may call it; afterwards any counter serving the service.</summary>
    public DateTime? AssignedUntil { get; private set; }
    public int? CounterId { get; private set; }
    public string? AgentId { get; private set; }
    public DateTime? FirstCalledAt { get; private set; }
    public DateTime? CalledAt { get; private set; }
    /// <summary>How many times it was announced in the current call (1 = first call, 2+ = recalls).</summary>
    public int CallCount { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }
    public string? OutcomeNote { get; private set; }
    /// <summary>The person's 1–5 rating after service (from WhatsApp or the status page).</summary>
    public int? Rating { get; private set; }
    public DateTime? RatedAt { get; private set; }
    /// <summary>When a remote ticket's holder confirmed arrival (kiosk "Llegué" or desk).</summary>
    public DateTime? ArrivedAt { get; private set; }
    /// <summary>App-managed concurrency token (SQLite generates no row versions).</summary>
    public int Version { get; private set; }
    /// <summary>Completed by the day close while still being served (<see cref="CloseBySystem"/>), not by the agent.</summary>
    public bool ClosedBySystem { get; private set; }
    /// <summary>The visit's current segment: 1 at issue, one more on each transfer or reactivation (a new wait, KPI-DEFINITIONS "transfer").</summary>
    public int Segment { get; private set; } = 1;
    /// <summary>When the current segment's wait began (the transfer or reactivation); null in the first segment, whose wait starts at <see cref="DueAt"/>.</summary>
    public DateTime? SegmentFrom { get; private set; }
    /// <summary>The first call of the current segment.</summary>
    public DateTime? SegmentCalledAt { get; private set; }
    /// <summary>KPI seconds, stored when the transition happens so every KPI is a plain sum (KPI-DEFINITIONS): the current segment's
    /// wait, from its start to its first call (set by <see cref="Called"/>).</summary>
    public int? WaitSeconds { get; private set; }
    /// <summary>The current segment's service time, start → completed (<see cref="Complete"/>); null when the system closed it.</summary>
    public int? ServiceSeconds { get; private set; }
    /// <summary>The visit's wait: its segments' waits added up (KPI-DEFINITIONS "transfer"); null until first called.</summary>
    public int? VisitWaitSeconds { get; private set; }
    /// <summary>The visit's earlier segments, closed by a transfer or a no-show later reactivated (the current one lives on this row).</summary>
    public List<TicketSegment> Segments { get; private set; } = [];

    Ticket() { }

    /// <summary>A numbered ticket in a service's line, not issued yet (<see cref="Issue"/> or <see cref="IssueFor"/> records it).</summary>
    public static Ticket Numbered(Service service, DateOnly day, int sequence, string code, Channel channel, DateTime now,
        Guid? requestId = null, PreferentialReason? preferential = null) => new()
    {
        BranchId = service.BranchId, ServiceId = service.Id, ServiceDay = day, Sequence = sequence,
        Number = FormatNumber(service.Prefix, sequence), Code = code, RequestId = requestId, Channel = channel,
        IssuedAt = now, DueAt = now,
        Priority = preferential is null ? PriorityClass.Ordinary : PriorityClass.Preferential,
        PreferentialReason = preferential,
    };

    /// <summary>
    /// A waiting ticket as the estimator's replay needs it and nothing more: the estimate reads the whole line, and reading it
    /// as full rows (intake answers, contact…) was most of an issue's time at a long line. Never saved.
    /// </summary>
    public static Ticket InLine(long id, int version, int branchId, DateOnly day, int serviceId, PriorityClass priority, DateTime dueAt, int? targetCounterId,
        string? assignedAgentId, int? assignedCounterId, DateTime? assignedUntil) => new()
    {
        Id = id, Version = version, BranchId = branchId, ServiceDay = day, ServiceId = serviceId, Priority = priority, DueAt = dueAt, TargetCounterId = targetCounterId,
        AssignedAgentId = assignedAgentId, AssignedCounterId = assignedCounterId, AssignedUntil = assignedUntil,
    };

    /// <summary>
    /// A ticket of the day as the branch's live views need it (status pages, board, lines, the estimator): about half the
    /// columns, none of the personal ones. The views read every ticket of the day after each event. Never saved.
    /// </summary>
    public static Ticket ForViews(long id, string code, string number, int branchId, int serviceId, DateOnly serviceDay, Channel channel,
        TicketStatus status, PriorityClass priority, PreferentialReason? preferentialReason, DateTime issuedAt, DateTime dueAt, long? appointmentId,
        int? targetCounterId, string? assignedAgentId, int? assignedCounterId, DateTime? assignedUntil, int? counterId, string? agentId,
        DateTime? calledAt, int callCount, DateTime? closedAt) => new()
    {
        Id = id, Code = code, Number = number, BranchId = branchId, ServiceId = serviceId, ServiceDay = serviceDay, Channel = channel,
        Status = status, Priority = priority, PreferentialReason = preferentialReason, IssuedAt = issuedAt, DueAt = dueAt,
        AppointmentId = appointmentId, TargetCounterId = targetCounterId, AssignedAgentId = assignedAgentId, AssignedCounterId = assignedCounterId,
        AssignedUntil = assignedUntil, CounterId = counterId, AgentId = agentId, CalledAt = calledAt, CallCount = callCount, ClosedAt = closedAt,
    };

    public static string FormatNumber(string prefix, int sequence) => $"{prefix}-{sequence:000}";

    public bool IsOpen => Status is TicketStatus.Waiting or TicketStatus.Called or TicketStatus.Serving;

    /// <summary>
    /// A walk-in ticket (kiosk, API) enters the line; a remote one (<paramref name="remoteArrival"/> given) waits for its holder
    /// when the service asks them to confirm arrival.
    /// </summary>
    public void Issue(Customers.Customer? customer, string? intakeData, DateTime now, RemoteArrivalRule? remoteArrival = null,
        Customers.ContactDetails? contact = null)
    {
        RequireNew();
        Customer = customer;
        IntakeData = intakeData;
        SetContact(contact ?? Customers.ContactDetails.None);
        if (remoteArrival is null)
        {
            Log(JourneyEventKind.TicketIssued, now, data: new { Number, priority = Priority.ToString() });
            return;
        }
        if (remoteArrival == RemoteArrivalRule.ConfirmArrival) Status = TicketStatus.Remote;
        Log(JourneyEventKind.RemoteTicketIssued, now, data: new { Number, priority = Priority.ToString(), arrival = remoteArrival.ToString() });
    }

    /// <summary>The ticket of a checked-in appointment: appointment priority, in line from the later of now and its start.</summary>
    public void IssueFor(Appointment appointment, DateTime now, string? actorId)
    {
        RequireNew();
        Appointment = appointment;
        Customer = appointment.Customer;
        SetContact(appointment.Contact);
        Priority = PriorityClass.Appointment;
        DueAt = appointment.Start > now ? appointment.Start : now;
        Log(JourneyEventKind.TicketIssued, now, actorId, new { Number, priority = Priority.ToString() });
    }

    /// <summary>
    /// At check-in: the ticket goes first to <paramref name="agentId"/> (or, without one, to whoever is at <paramref name="counterId"/>)
    /// until <paramref name="until"/>; the journey records whom the check-in notified and whether they were signed in.
    /// </summary>
    public void AssignTo(string? agentId, int? counterId, DateTime until, bool signedIn, string how, DateTime now)
    {
        if (Priority != PriorityClass.Appointment || Status != TicketStatus.Waiting) throw new DomainException("Ticket.AssignOnlyAppointment");
        if (agentId is null && counterId is null) throw new DomainException("Ticket.AssignTargetRequired");
        (AssignedAgentId, AssignedCounterId, AssignedUntil) = (agentId, agentId is null ? counterId : null, until);
        Touch(); // a claim read before the reservation must not win, and cached lines (WaitingLines) must see it
        Log(JourneyEventKind.AssignedAgentNotified, now, data: new { agentId, counterId, signedIn, until, how });
    }

    /// <summary>
    /// Call next's claim, in memory: <see cref="ClaimAsync"/> then writes it as one conditional row update, so two agents never
    /// call the same ticket.
    /// </summary>
    public void Call(int counterId, string agentId, DateTime now)
    {
        Require(TicketStatus.Waiting, "Ticket.CallOnlyWaiting");
        (Status, CounterId, AgentId, CalledAt, CallCount) = (TicketStatus.Called, counterId, agentId, now, 1);
        FirstCalledAt ??= now;
        SegmentCalledAt ??= now;
        if (WaitSeconds is null)
        {
            // The segment's first call: its wait is final now.
            WaitSeconds = KpiSeconds.Between(SegmentFrom ?? DueAt, SegmentCalledAt.Value);
            VisitWaitSeconds = (VisitWaitSeconds ?? 0) + WaitSeconds;
        }
        Log(JourneyEventKind.TicketCalled, now, agentId);
        Touch();
    }

    /// <summary>
    /// Writes the <see cref="Call"/> made on this ticket as read at <paramref name="readVersion"/>: only if the row is still
    /// waiting at that version (zero rows: another agent won it). Its notifications then see the ticket called.
    /// </summary>
    public Task<int> ClaimAsync(IQueryable<Ticket> tickets, int readVersion, CancellationToken ct) => tickets
        .Where(t => t.Id == Id && t.Status == TicketStatus.Waiting && t.Version == readVersion)
        .ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, Status).SetProperty(t => t.CounterId, CounterId).SetProperty(t => t.AgentId, AgentId)
            .SetProperty(t => t.CalledAt, CalledAt).SetProperty(t => t.FirstCalledAt, FirstCalledAt).SetProperty(t => t.CallCount, CallCount)
            .SetProperty(t => t.SegmentCalledAt, SegmentCalledAt).SetProperty(t => t.WaitSeconds, WaitSeconds)
            .SetProperty(t => t.VisitWaitSeconds, VisitWaitSeconds).SetProperty(t => t.Version, Version), ct);

    /// <summary>The call was the fairness rule's ordinary turn after <paramref name="preferentialCalls"/> consecutive preferential calls.</summary>
    public void CalledByFairnessRule(string agentId, int preferentialCalls, DateTime now)
    {
        if (Status != TicketStatus.Called || AgentId != agentId || Priority != PriorityClass.Ordinary)
            throw new DomainException("Ticket.CallNotMine");
        Log(JourneyEventKind.FairnessTurn, now, agentId, new { afterPreferentialCalls = preferentialCalls });
    }

    public void Recall(string agentId, DateTime now)
    {
        Require(TicketStatus.Called, "Ticket.RecallOnlyCalled");
        RequireAgent(agentId);
        Log(JourneyEventKind.TicketRecalled, now, agentId);
        CallCount++;
        CalledAt = now;
        Touch();
    }

    public void Start(string agentId, DateTime now)
    {
        Require(TicketStatus.Called, "Ticket.StartOnlyCalled");
        RequireAgent(agentId);
        Log(JourneyEventKind.ServiceStarted, now, agentId);
        Status = TicketStatus.Serving;
        StartedAt = now;
        Touch();
    }

    public void Complete(string agentId, DateTime now, string? note)
    {
        Require(TicketStatus.Serving, "Ticket.FinishOnlyServing");
        RequireAgent(agentId);
        Log(JourneyEventKind.ServiceCompleted, now, agentId);
        Status = TicketStatus.Completed;
        ClosedAt = now;
        ServiceSeconds = StartedAt is { } started ? KpiSeconds.Between(started, now) : null;
        OutcomeNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim()[..Math.Min(note.Trim().Length, NoteMax)];
        Touch();
    }

    public void MarkNoShow(string agentId, DateTime now)
    {
        Require(TicketStatus.Called, "Ticket.NoShowOnlyCalled");
        RequireAgent(agentId);
        if (CallCount < 2)
            throw new DomainException("Ticket.RecallBeforeNoShow");
        // It changes someone's place in line: audited.
        Log(JourneyEventKind.TicketNoShow, now, agentId, audit: new AuditNote(AuditActions.TicketNoShow, new { Number }));
        Status = TicketStatus.NoShow;
        ClosedAt = now;
        Touch();
    }

    /// <summary>Back to the line of another service or counter; IssuedAt is kept for fairness. Logged where it happened.</summary>
    public void Transfer(string agentId, int serviceId, int? targetCounterId, DateTime now)
    {
        if (Status is not (TicketStatus.Called or TicketStatus.Serving))
            throw new DomainException("Ticket.TransferOnlyCalledOrServing");
        RequireAgent(agentId);
        if (serviceId == ServiceId && targetCounterId is null)
            throw new DomainException("Ticket.TransferTargetRequired");
        var details = new { fromServiceId = ServiceId, toServiceId = serviceId, toCounterId = targetCounterId, segment = Segment + 1 };
        Log(JourneyEventKind.TicketTransferred, now, agentId, details, audit: new AuditNote(AuditActions.TicketTransferred, details));
        BeginSegment(now);
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
        Log(JourneyEventKind.TicketExpired, now);
        Status = TicketStatus.Expired;
        ClosedAt = now;
        Touch();
    }

    /// <summary>Day close while the person is still at the counter: the service ends with a "closed by the system" outcome, never expires.</summary>
    public void CloseBySystem(DateTime now)
    {
        Require(TicketStatus.Serving, "Ticket.FinishOnlyServing");
        Log(JourneyEventKind.ServiceClosedBySystem, now);
        Status = TicketStatus.Completed;
        ClosedBySystem = true;
        ClosedAt = now;
        Touch();
    }

    /// <summary>The branch closed before the holder of a remote ticket arrived: its own outcome, not a walk-out (they never were in line).</summary>
    public void EndNotArrived(DateTime now)
    {
        Require(TicketStatus.Remote, "Ticket.NotArrivedOnlyRemote");
        Log(JourneyEventKind.TicketNotArrived, now);
        Status = TicketStatus.NotArrived;
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

    /// <summary>The place a remote ticket would take were its holder to arrive now (shown, never saved).</summary>
    public void PreviewArrival(DateTime now, int fairnessMinutes)
    {
        if (Status == TicketStatus.Remote) DueAt = DueOnArrival(IssuedAt, now, fairnessMinutes);
    }

    /// <summary>The holder of a remote ticket is at the branch (<paramref name="at"/>: kiosk, desk…): it enters the line (<see cref="DueOnArrival"/>).</summary>
    public void ConfirmArrival(DateTime now, int fairnessMinutes, Channel at, string? actorId = null)
    {
        if (Status == TicketStatus.Waiting && ArrivedAt is not null)
            throw new DomainException("Ticket.AlreadyInLine", Number);
        Require(TicketStatus.Remote, "Ticket.ConfirmOnlyRemote");
        Status = TicketStatus.Waiting;
        ArrivedAt = now;
        DueAt = DueOnArrival(IssuedAt, now, fairnessMinutes);
        Touch();
        // An agent's confirmation places someone in line: audited like a desk check-in.
        Log(JourneyEventKind.ArrivalConfirmed, now, actorId, new { at = at.ToString(), keptPlace = DueAt == IssuedAt },
            at == Channel.InPerson ? new AuditNote(AuditActions.TicketArrivalConfirmed, new { Number }) : null);
    }

    /// <summary>The holder gives up a ticket that has not been called yet (<paramref name="at"/>: where they did it); the place is freed.</summary>
    public void Cancel(DateTime now, Channel at)
    {
        if (Status is not (TicketStatus.Remote or TicketStatus.Waiting))
            throw new DomainException("Ticket.CancelOnlyNotCalled");
        Log(JourneyEventKind.TicketCancelled, now, data: new { at = at.ToString() });
        Status = TicketStatus.Cancelled;
        ClosedAt = now;
        Touch();
    }

    /// <summary>The person's 1–5 rating after service, once; the event carries the channel it came by.</summary>
    public void Rate(int score, Channel channel, DateTime now)
    {
        if (score is < 1 or > 5) throw new DomainException("Ticket.RatingRange");
        Require(TicketStatus.Completed, "Ticket.RateOnlyCompleted");
        if (Rating is not null) throw new DomainException("Ticket.AlreadyRated");
        Rating = score;
        RatedAt = now;
        Touch();
        Log(JourneyEventKind.ServiceRated, now, data: new { score }, channel: channel);
    }

    /// <summary>A walk-in ticket given to someone too late for their appointment: it carries the appointment (its channel and contact) with ordinary priority.</summary>
    public void IssueAsWalkInFor(Appointment appointment, DateTime now, string? actorId)
    {
        RequireNew();
        Appointment = appointment;
        Customer = appointment.Customer;
        IntakeData = appointment.IntakeData;
        SetContact(appointment.Contact);
        Log(JourneyEventKind.TicketIssued, now, actorId, new { Number, priority = Priority.ToString(), lateAppointment = appointment.Code });
    }

    /// <summary>
    /// A no-show brought back by an agent or supervisor within <paramref name="windowMinutes"/> of being closed: at its original
    /// place (<paramref name="keepPlace"/>) or at the end of its line. A new segment, so its call messages go out again.
    /// </summary>
    public void Reactivate(string actorId, DateTime now, int windowMinutes, bool keepPlace)
    {
        Require(TicketStatus.NoShow, "Ticket.ReactivateOnlyNoShow");
        if (ClosedAt is not { } closed || now - closed > TimeSpan.FromMinutes(windowMinutes))
            throw new DomainException("Ticket.ReactivationWindowPassed", Number, windowMinutes);
        var details = new { Number, keptPlace = keepPlace, segment = Segment + 1 };
        // It changes someone's place in line: audited.
        Log(JourneyEventKind.TicketReactivated, now, actorId, details, new AuditNote(AuditActions.TicketReactivated, details));
        BeginSegment(now);
        Status = TicketStatus.Waiting;
        if (!keepPlace) DueAt = now;
        (CounterId, AgentId, CalledAt, StartedAt, ClosedAt, CallCount) = (null, null, null, null, null, 0);
        Touch();
    }

    /// <summary>Closes the current segment (kept as a <see cref="TicketSegment"/> row) and starts the next one's wait now.</summary>
    void BeginSegment(DateTime now)
    {
        Segments.Add(TicketSegment.Close(this, now));
        Segment++;
        SegmentFrom = now;
        SegmentCalledAt = null;
        (WaitSeconds, ServiceSeconds) = (null, null);
    }

    void Log(JourneyEventKind kind, DateTime at, string? actorId = null, object? data = null, AuditNote? audit = null, Channel? channel = null) =>
        Record(JourneyEvent.Of(this, kind, channel ?? Channel, at, actorId, data, audit));

    void SetContact(Customers.ContactDetails c) =>
        (ContactPhone, ContactName, ContactEmail, WhatsAppOptIn) = (c.Phone, c.Name, c.Email, c.WhatsAppOptIn && c.Phone is not null);

    void RequireNew()
    {
        if (Id != 0) throw new DomainException("Ticket.AlreadyIssued");
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
