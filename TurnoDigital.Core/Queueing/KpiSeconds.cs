namespace TurnoDigital.Core.Queueing;

/// <summary>The whole seconds a KPI stores between two instants: rounded half away from zero (as SQL's ROUND), never below 0
/// (an appointment called before its start did not wait).</summary>
public static class KpiSeconds
{
    public static int Between(DateTime from, DateTime to) =>
        Math.Max(0, (int)Math.Round((to - from).TotalSeconds, MidpointRounding.AwayFromZero));
}
