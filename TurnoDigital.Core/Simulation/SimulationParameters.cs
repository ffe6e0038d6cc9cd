namespace TurnoDigital.Core.Simulation;

/// <summary>
/// One simulated day at a branch. Everything random comes from <see cref="Seed"/>: the same parameters give the same day.
/// </summary>
/// <param name="Agents">Agents at work (each at a counter of their own; counters are added when the branch has fewer).</param>
/// <param name="WalkIns">Expected walk-in arrivals over the day, spread by <see cref="ArrivalCurve"/> (a morning peak).</param>
/// <param name="Appointments">Appointments booked for the day; <paramref name="NoShowRate"/> of them never come.</param>
/// <param name="StaleSessions">Desk sessions left open on earlier days (browsers closed without leaving): present on paper only.</param>
/// <param name="ServiceTimeSpread">Sigma of the log-normal service times (the median is each service's default time).</param>
/// <remarks>The rest only shape <see cref="SimulationEngine.RunHistoryAsync"/> (a demo's past days; the single day above ignores them):</remarks>
/// <param name="RemindedNoShowRate">No-show rate of appointments whose WhatsApp reminder was delivered (the others miss at <paramref name="NoShowRate"/>).</param>
/// <param name="WhatsAppShare">Walk-ins who leave a WhatsApp number (with consent) for updates.</param>
/// <param name="RemoteShare">Visitors who take their ticket before coming (web /fila or WhatsApp), where the service allows it.</param>
/// <param name="RatingShare">WhatsApp users who rate the visit afterwards.</param>
/// <param name="WhatsAppFailureShare">Messages Meta reports as failed (undeliverable, not on WhatsApp…).</param>
/// <param name="IdlePollMinutes">How often an idle agent presses "call next" again on its own (an arrival in its line wakes it sooner).</param>
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
    int ClosesAtHour = 16,
    double RemindedNoShowRate = 0.10,
    double WhatsAppShare = 0.35,
    double RemoteShare = 0.08,
    double RatingShare = 0.45,
    double WhatsAppFailureShare = 0.04,
    int IdlePollMinutes = 10)
{
    /// <summary>Relative arrivals per opening hour from <see cref="OpensAtHour"/>: a peak mid-morning, a lunch bump, a quiet end.</summary>
    public static readonly double[] ArrivalCurve = [0.7, 1.3, 1.8, 1.5, 1.0, 1.1, 0.9, 0.6];

    /// <summary>History's weekday from <see cref="OpensAtHour"/>: a morning peak, a lunch dip (12–14 h), an afternoon bump, a quiet end.</summary>
    public static readonly double[] HistoryCurve = [0.9, 1.6, 2.0, 1.7, 0.8, 0.7, 1.2, 1.0, 0.5];
}
