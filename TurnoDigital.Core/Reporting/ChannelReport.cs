using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Reporting;

/// <summary>What to report on: local dates (inclusive, each branch's own calendar), branches and optionally services.</summary>
public sealed record ReportFilter(DateOnly From, DateOnly To, IReadOnlyList<int> BranchIds, IReadOnlyList<int> ServiceIds)
{
    public const int MaxDays = 366;
    public int Days => To.DayNumber - From.DayNumber + 1;
}

public sealed record ReportBranch(int Id, string Name, string TimeZoneId);

/// <summary>The KPIs of one group of visits (a channel, a service or the total), meanings as in KPI-DEFINITIONS.</summary>
public sealed class KpiRow
{
    public string Label { get; set; } = "";
    public Channel? Channel { get; init; }
    public int? ServiceId { get; init; }
    /// <summary>Tickets issued (visits that reached the line).</summary>
    public int Visits { get; set; }
    /// <summary>Visits ÷ all visits of the report, 0–1.</summary>
    public double Share { get; set; }
    public int Called { get; set; }
    public int Served { get; set; }
    /// <summary>Left before being called (cancelled or expired while waiting).</summary>
    public int WalkOuts { get; set; }
    public int TicketNoShows { get; set; }
    /// <summary>Remote tickets whose holder never arrived before closing: their own outcome, neither visits nor walk-outs.</summary>
    public int NotArrived { get; set; }
    /// <summary>Called segments, and those whose wait was within their service's target wait (KPI-DEFINITIONS "service level").</summary>
    public int ServiceLevelCalled { get; set; }
    public int ServiceLevelWithin { get; set; }
    /// <summary>Share of the called within the service's target wait, 0–1.</summary>
    public double? ServiceLevel => ServiceLevelCalled == 0 ? null : (double)ServiceLevelWithin / ServiceLevelCalled;
    /// <summary>A service row's staffing goal for <see cref="ServiceLevel"/> (<see cref="Organization.Service.TargetServiceLevelPercent"/>) and its target wait.</summary>
    public int? ServiceLevelGoalPercent { get; set; }
    public int? TargetWaitMinutes { get; set; }
    /// <summary>Ticket no-shows ÷ called tickets.</summary>
    public double? TicketNoShowRate => Called == 0 ? null : (double)TicketNoShows / Called;
    /// <summary>Wait in seconds over called tickets; percentiles by nearest rank.</summary>
    public double? WaitAvgSeconds { get; set; }
    public int? WaitP50Seconds { get; set; }
    public int? WaitP90Seconds { get; set; }
    public double? ServiceAvgSeconds { get; set; }
    /// <summary>Appointments whose check-in window is over (checked in or no-show); cancelled ones excluded.</summary>
    public int AppointmentsDue { get; set; }
    public int AppointmentNoShows { get; set; }
    public double? AppointmentNoShowRate => AppointmentsDue == 0 ? null : (double)AppointmentNoShows / AppointmentsDue;
    /// <summary>Ratings 1–5: index 0 holds the count of 1s.</summary>
    public int[] RatingCounts { get; init; } = new int[5];
    public int Ratings => RatingCounts.Sum();
    public double? RatingAvg => Ratings == 0 ? null : RatingCounts.Select((n, i) => n * (i + 1.0)).Sum() / Ratings;
    /// <summary>Share of ratings that are 4 or 5.</summary>
    public double? Csat => Ratings == 0 ? null : (RatingCounts[3] + RatingCounts[4]) / (double)Ratings;
    /// <summary>Ratings ÷ served.</summary>
    public double? ResponseRate => Served == 0 ? null : (double)Ratings / Served;
}

/// <summary>Appointment no-show rate with at least one delivered reminder against none.</summary>
public sealed record ReminderEffect(int DueWithReminder, int NoShowsWithReminder, int DueWithout, int NoShowsWithout)
{
    public double? RateWithReminder => DueWithReminder == 0 ? null : (double)NoShowsWithReminder / DueWithReminder;
    public double? RateWithout => DueWithout == 0 ? null : (double)NoShowsWithout / DueWithout;
}

/// <summary>Visits of one local day per channel (index = (int)Channel).</summary>
public sealed record DailyVolume(DateOnly Day, int[] PerChannel);

public sealed class ChannelReport
{
    public static readonly Channel[] Channels = [Channel.Kiosk, Channel.WhatsApp, Channel.Web, Channel.InPerson, Channel.Api];

    public required ReportFilter Filter { get; init; }
    public required IReadOnlyList<ReportBranch> Branches { get; init; }
    /// <summary>Names of the chosen services; empty = all services of the branches.</summary>
    public required IReadOnlyList<string> ServiceNames { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    /// <summary>One row per channel, every channel present (zeros included), in <see cref="Channels"/> order.</summary>
    public required IReadOnlyList<KpiRow> ByChannel { get; init; }
    public required KpiRow Total { get; init; }
    public required IReadOnlyList<KpiRow> ByService { get; init; }
    public required ReminderEffect Reminders { get; init; }
    /// <summary>Arrivals by local weekday (0 = Monday) × local hour.</summary>
    public required int[,] Demand { get; init; }
    /// <summary>Staffing forecasts (Erlang C) of the report's first branches for its busiest weekday.</summary>
    public IReadOnlyList<Supervision.StaffingForecast> Staffing { get; init; } = [];
    public const int MaxStaffingBranches = 3;
    public required IReadOnlyList<DailyVolume> Daily { get; init; }

    /// <summary>Null when p50/p90 are exact; otherwise the width of the daily histograms they were merged from (error at most one bucket).</summary>
    public int? PercentileBucketSeconds { get; init; }

    /// <summary>How p50/p90 were computed, said on the cover and in exports.</summary>
    public string PercentileNote => PercentileBucketSeconds is { } w
        ? $"histogramas diarios de {w} s: error ≤ 1 intervalo ({w} s)"
        : "exactos (cada espera)";

    public IReadOnlyList<string> TimeZones => Branches.Select(b => b.TimeZoneId).Distinct().ToList();

    /// <summary>Which time zone the figures use, said once on the cover and in exports.</summary>
    public string TimeZoneNote => TimeZones.Count == 1
        ? TimeZones[0]
        : "cada sede en su propia zona (" + string.Join(", ", Branches.Select(b => $"{b.Name}: {b.TimeZoneId}")) + ")";

    public static string ChannelName(Channel c) => c switch
    {
        Channel.Kiosk => "Kiosco",
        Channel.WhatsApp => "WhatsApp",
        Channel.Web => "Web",
        Channel.InPerson => "Presencial",
        Channel.Api => "API",
        _ => c.ToString(),
    };

    public static readonly string[] WeekdayNames = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"];
}
