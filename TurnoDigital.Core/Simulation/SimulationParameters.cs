namespace TurnoDigital.Core.Simulation;

/// <summary>
/// One simulated day at a branch. Everything random comes from <see cref="Seed"/>: the same parameters give the same day.
/// </summary>
/// <param name="Agents">Agents at work (each at a counter of their own; counters are added when the branch has fewer).</param>
/// <param name="WalkIns">Expected walk-in arrivals over the day, spread by <see cref="ArrivalCurve"/> (a morning peak).</param>
/// <param name="Appointments">Appointments booked for the day; <paramref name="NoShowRate"/> of them never come.</param>
/// <param name="StaleSessions">Desk sessions left open on earlier days (browsers closed without leaving): present on paper only.</param>
/// <param name="ServiceTimeSpread">Sigma of the log-normal service times (the median is each service's default time).</param>
public sealed record SimulationParameters(
    int Seed,
    DateOnly Day,
    int Agents = 5,
    int WalkIns = 260,
    int Appointments = 24,
    double NoShowRate = 0.18,
    double PreferentialShare = 0.12,
    double TransferShare = 0.06,
    double WalkOutShare = 0.03,
    int BreakMinutes = 30,
    int StaleSessions = 2,
    double ServiceTimeSpread = 0.55,
    int OpensAtHour = 8,
    int ClosesAtHour = 16)
{
    /// <summary>Relative arrivals per opening hour from <see cref="OpensAtHour"/>: a peak mid-morning, a lunch bump, a quiet end.</summary>
    public static readonly double[] ArrivalCurve = [0.7, 1.3, 1.8, 1.5, 1.0, 1.1, 0.9, 0.6];
}
