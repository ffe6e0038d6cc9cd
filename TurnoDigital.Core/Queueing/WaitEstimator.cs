namespace TurnoDigital.Core.Queueing;

public static class WaitEstimator
{
    /// <summary>Minutes until a ticket with <paramref name="peopleAhead"/> before it is likely called.</summary>
    public static int EstimateMinutes(int peopleAhead, double averageServiceMinutes, int agentsServing)
    {
        if (peopleAhead <= 0) return 0;
        var agents = Math.Max(1, agentsServing);
        return (int)Math.Ceiling(peopleAhead * Math.Max(0.5, averageServiceMinutes) / agents);
    }

    /// <summary>Average of today's recent service times, or the service's default until there are completions.</summary>
    public static double AverageServiceMinutes(IReadOnlyCollection<TimeSpan> recentServiceTimes, int defaultMinutes) =>
        recentServiceTimes.Count == 0 ? defaultMinutes : recentServiceTimes.Average(t => t.TotalMinutes);
}
