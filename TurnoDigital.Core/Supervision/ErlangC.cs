namespace TurnoDigital.Core.Supervision;

/// <summary>
/// The Erlang C queue model (KPI-DEFINITIONS "Staffing"): people arrive at random, wait in one line and are served by
/// N agents. Load A = arrivals per hour × handle time in hours (Erlangs). The wait probability comes from the Erlang B
/// recurrence, because the textbook formula's factorials overflow.
/// </summary>
public static class ErlangC
{
    /// <summary>Probability that an arrival waits at all: 1 when the agents cannot keep up (N ≤ A).</summary>
    public static double ProbabilityOfWaiting(int agents, double erlangs)
    {
        if (erlangs <= 0) return 0;
        if (agents <= erlangs) return 1;
        var b = 1.0;
        for (var n = 1; n <= agents; n++) b = erlangs * b / (n + erlangs * b);
        return agents * b / (agents - erlangs * (1 - b));
    }

    /// <summary>Share of arrivals called within <paramref name="targetSeconds"/>: 1 − C·e^(−(N−A)·t/h).</summary>
    public static double ServiceLevel(int agents, double erlangs, double handleSeconds, double targetSeconds)
    {
        if (erlangs <= 0) return 1;
        if (agents <= erlangs) return 0;
        return 1 - ProbabilityOfWaiting(agents, erlangs) * Math.Exp(-(agents - erlangs) * targetSeconds / handleSeconds);
    }

    /// <summary>The fewest agents that reach <paramref name="targetLevel"/> (0–1); none when nobody arrives.</summary>
    public static int AgentsNeeded(double arrivalsPerHour, double handleSeconds, double targetSeconds, double targetLevel)
    {
        var erlangs = Erlangs(arrivalsPerHour, handleSeconds);
        if (erlangs <= 0) return 0;
        var n = Math.Max(1, (int)Math.Floor(erlangs) + 1);
        while (ServiceLevel(n, erlangs, handleSeconds, targetSeconds) < targetLevel) n++;
        return n;
    }

    public static double Erlangs(double arrivalsPerHour, double handleSeconds) => arrivalsPerHour * handleSeconds / 3600;
}
