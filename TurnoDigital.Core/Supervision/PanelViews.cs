using TurnoDigital.Core.Common;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Supervision;

/// <summary>One service's line right now: the longest wait is of the first person still waiting.</summary>
public sealed record ServiceNowRow(int ServiceId, string Name, int Waiting, int LongestWaitMinutes, int TargetWaitMinutes)
{
    public bool OverTarget => Waiting > 0 && LongestWaitMinutes > TargetWaitMinutes;
}

/// <summary>An agent at a counter: serving a ticket, idle, or paused with a reason; since when (branch local time).</summary>
public sealed record AgentNowRow(string AgentId, string AgentName, string CounterName, AgentState State, DateTime SinceLocal, string? PauseReason, string? TicketNumber);

public sealed record PanelNow(IReadOnlyList<ServiceNowRow> Services, IReadOnlyList<AgentNowRow> Agents, int CountersOpen, int CountersActive, DateTime AtLocal)
{
    /// <summary>Ordinary tickets the fairness rule called today, and the latest of them (null: none).</summary>
    public int FairnessTurnsToday { get; init; }
    public FairnessTurnRow? LastFairnessTurn { get; init; }
}

/// <summary>An ordinary ticket called by the fairness rule after <paramref name="AfterPreferentialCalls"/> preferential calls at a counter.</summary>
public sealed record FairnessTurnRow(string TicketNumber, string CounterName, DateTime AtLocal, int AfterPreferentialCalls);

/// <summary>
/// KPIs of one group (a channel, a service, or the whole branch) for a day, as KPI-DEFINITIONS.md defines them.
/// Waits and service times in minutes; null when nothing to average.
/// </summary>
public sealed record KpiRow(
    string Key, int Visitors, int AppointmentsBooked, int CheckedIn, int NoShows, int AppointmentsDecided,
    int Called, double? AvgWaitMinutes, double? P90WaitMinutes, int Served, double? AvgServiceMinutes, double? AvgRating, int Ratings)
{
    /// <summary>No-shows ÷ appointments due that were decided (checked in or no-show); cancelled ones excluded.</summary>
    public double? NoShowRate => AppointmentsDecided == 0 ? null : (double)NoShows / AppointmentsDecided;
    /// <summary>Share of the called within their service's target wait, 0–1 (KPI-DEFINITIONS "service level"); a service's row carries its goal.</summary>
    public double? ServiceLevel { get; init; }
    public int? ServiceLevelGoalPercent { get; init; }
    /// <summary>Remote tickets whose holder never arrived: their own outcome, not visitors.</summary>
    public int NotArrived { get; init; }
}

/// <summary>Wait buckets of the distribution chart, [From, To) minutes; To null = open-ended.</summary>
public sealed record WaitBucket(int FromMinutes, int? ToMinutes, int Count);

public sealed record PanelToday(
    DateOnly Day, IReadOnlyList<KpiRow> ByChannel, IReadOnlyList<KpiRow> ByService, KpiRow Total,
    IReadOnlyDictionary<Channel, int[]> ArrivalsByHour, IReadOnlyList<WaitBucket> WaitDistribution);
