using System.Globalization;
using System.Text;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Reporting;

/// <summary>
/// The KPI sums of one branch, local service day, service and channel (KPI-DEFINITIONS.md): what <see cref="KpiQueries"/> groups in
/// SQL, plus the day's appointments, arrivals per local hour and fixed-width histograms of the waits and service times, so a long
/// range merges days without reading their tickets (percentiles from merged histograms, never averaged). Stored for closed days by
/// <see cref="DailyAggregates"/>; computed the same way, not stored, for the days still live.
/// </summary>
public sealed class DailyAggregate
{
    public long Id { get; set; }
    public int BranchId { get; set; }
    public DateOnly Day { get; set; }
    public int ServiceId { get; set; }
    /// <summary>Where the visit began (the booking's channel for an appointment's ticket).</summary>
    public Channel Channel { get; set; }

    // The tickets now in this service (their current segment).
    public int Visits { get; set; }
    public int NotArrived { get; set; }
    public int CalledVisits { get; set; }
    public long VisitWaitSum { get; set; }
    public int Called { get; set; }
    public long WaitSum { get; set; }
    /// <summary>Called with a wait within the service's target wait at the time the day was summed.</summary>
    public int Within { get; set; }
    public int Served { get; set; }
    public int ServedTimed { get; set; }
    public int ServiceTimed { get; set; }
    public long ServiceSum { get; set; }
    public int NoShows { get; set; }
    public int WalkOuts { get; set; }
    public int Rating1 { get; set; }
    public int Rating2 { get; set; }
    public int Rating3 { get; set; }
    public int Rating4 { get; set; }
    public int Rating5 { get; set; }

    // Closed segments (ended by a transfer or a reactivated no-show) that waited for this service.
    public int Segments { get; set; }
    public int SegmentsCalled { get; set; }
    public long SegmentWaitSum { get; set; }
    public int SegmentsWithin { get; set; }
    public int SegmentsServiceTimed { get; set; }
    public long SegmentServiceSum { get; set; }

    // Appointments of this service and booking channel whose start is on this local day, due (checked in or no-show).
    public int AppointmentsDue { get; set; }
    public int AppointmentNoShows { get; set; }
    public int RemindedDue { get; set; }
    public int RemindedNoShows { get; set; }

    /// <summary>Visits by local hour of issue (24 numbers); the weekday is the day's.</summary>
    public string Arrivals { get; set; } = "";
    /// <summary>Visit waits of the tickets now in this service (per-channel and total percentiles), <see cref="WaitHistogram"/>.</summary>
    public string VisitWaits { get; set; } = "";
    /// <summary>Segment waits in this service (per-service percentiles): current and closed segments.</summary>
    public string SegmentWaits { get; set; } = "";
    /// <summary>Service times (start → end) of the segments in this service.</summary>
    public string ServiceTimes { get; set; } = "";

    // Staffing inputs (StaffingQueries), keyed by the ticket's own channel rather than the booking's (they differ only for a late
    // appointment served as a walk-in), so the forecast reads the same numbers here as from the tickets.
    /// <summary>Segments (current and closed) that began waiting for this service, by local hour their wait began: tickets without an appointment.</summary>
    public string SegmentStarts { get; set; } = "";
    /// <summary>The same for appointments' tickets.</summary>
    public string AppointmentSegmentStarts { get; set; } = "";
    /// <summary>Handle times (call → close by the agent, or → transfer) of this service's segments, summed in ticks (exact), and how many; only those above 0.</summary>
    public long HandleTicks { get; set; }
    public int Handled { get; set; }

    public int[] RatingCounts => [Rating1, Rating2, Rating3, Rating4, Rating5];

    public static int[] ParseArrivals(string s)
    {
        var hours = new int[24];
        if (s.Length == 0) return hours;
        var parts = s.Split(',');
        for (var i = 0; i < 24 && i < parts.Length; i++) hours[i] = int.Parse(parts[i], CultureInfo.InvariantCulture);
        return hours;
    }

    public static string FormatArrivals(int[] hours) => hours.All(h => h == 0) ? "" : string.Join(',', hours.Select(h => h.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>
/// Counts of seconds in fixed-width buckets: bucket k holds ((k−1)·W, k·W] (0 holds exactly 0). A nearest-rank percentile read from it is
/// the upper edge of the bucket holding that rank, so it is never below the exact value and at most one bucket (W − 1 s) above it.
/// Stored sparse as "k:count k:count", ascending.
/// </summary>
public sealed class WaitHistogram
{
    /// <summary>The bucket width, stated on the report.</summary>
    public const int BucketSeconds = 30;

    readonly SortedDictionary<int, long> counts = [];
    public long Count { get; private set; }

    public static int Bucket(int seconds) => (Math.Max(0, seconds) + BucketSeconds - 1) / BucketSeconds;

    public void Add(int seconds) => AddBucket(Bucket(seconds), 1);

    void AddBucket(int bucket, long n)
    {
        counts[bucket] = counts.GetValueOrDefault(bucket) + n;
        Count += n;
    }

    public void Merge(string stored)
    {
        foreach (var pair in stored.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':');
            AddBucket(int.Parse(pair.AsSpan(0, colon), CultureInfo.InvariantCulture), long.Parse(pair.AsSpan(colon + 1), CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Nearest rank as <see cref="KpiQueries.Percentile"/>, read as the bucket's upper edge; null when empty.</summary>
    public int? Percentile(int p)
    {
        if (Count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100.0 * Count));
        long seen = 0;
        foreach (var (bucket, n) in counts)
            if ((seen += n) >= rank) return bucket * BucketSeconds;
        return counts.Keys.Last() * BucketSeconds;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (bucket, n) in counts)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(bucket.ToString(CultureInfo.InvariantCulture)).Append(':').Append(n.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
