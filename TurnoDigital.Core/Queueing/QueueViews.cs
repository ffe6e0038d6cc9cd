using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Queueing;

/// <summary>What the public may see of a ticket: no personal data.</summary>
public sealed record TicketStatusView(
    string Code, string Number, int BranchId, string BranchName, string ServiceName, string? ServiceNameEn,
    TicketStatus Status, PriorityClass Priority, DateTime IssuedAtLocal, int PeopleAhead, int EstimatedWaitMinutes,
    string? CounterName, string TimeZoneId, bool IsRemote = false);

public sealed record WalkInServiceView(int Id, string Name, string? NameEn, string Prefix, int Waiting, int EstimatedWaitMinutes)
{
    public string DisplayName(bool english) => english && !string.IsNullOrWhiteSpace(NameEn) ? NameEn! : Name;
}

public sealed record CallView(long TicketId, string Number, string CounterName, DateTime CalledAtLocal, int CallCount, TicketStatus Status);

public sealed record BoardView(string BranchName, string TimeZoneId, IReadOnlyList<CallView> RecentCalls, IReadOnlyList<WalkInServiceView> Lines);

public sealed record WaitingTicketView(long Id, string Number, PriorityClass Priority, PreferentialReason? Reason, DateTime IssuedAtLocal, int WaitedMinutes, bool ForThisCounter);

public sealed record ServiceLineView(int ServiceId, string ServiceName, int TargetWaitMinutes, IReadOnlyList<WaitingTicketView> Waiting);

public sealed record CurrentTicketView(
    long Id, int Version, string Number, string ServiceName, int ServiceId, TicketStatus Status, PriorityClass Priority,
    PreferentialReason? Reason, int CallCount, DateTime IssuedAtLocal, DateTime? CalledAtLocal, DateTime? StartedAtLocal, bool HasWhatsApp);

public sealed record DeskView(
    int CounterId, string CounterName, int BranchId, string TimeZoneId, CurrentTicketView? Current,
    IReadOnlyList<ServiceLineView> Lines, IReadOnlyList<Service> BranchServices, IReadOnlyList<Counter> BranchCounters,
    DateTime? PausedAt, string? PauseReason);

public sealed record CounterChoice(int Id, string Name, string BranchName, IReadOnlyList<string> Services);

/// <summary>A walk-in line as the public /fila page shows it: counts and remote-ticket room, no personal data.</summary>
public sealed record PublicLineView(WalkInServiceView Line, bool AllowsRemoteTickets, int RemotePlacesLeft, RemoteArrivalRule Arrival)
{
    public bool CanTakeRemote => AllowsRemoteTickets && RemotePlacesLeft > 0;
}

public sealed record PublicBranchView(int BranchId, string BranchName, string? Address, string TimeZoneId, bool IsOpen, IReadOnlyList<PublicLineView> Lines);
