namespace TurnoDigital.Core.Simulation;

/// <summary>
/// One walk-in's first segment: the estimate each estimator gave at issue, when each would have sent "turn near"
/// (the WhatsApp rule: few people ahead or few minutes left), and when the person was really called (null: never).
/// </summary>
public sealed record SimulatedTicket(long TicketId, int ServiceId, string Priority, DateTime IssuedAt, int Ahead, int EstimateMinutes, int NaiveEstimateMinutes,
    DateTime? NearAt, DateTime? NaiveNearAt, DateTime? CalledAt)
{
    public double? WaitMinutes => CalledAt is { } c ? (c - IssuedAt).TotalMinutes : null;
}

/// <summary>What happened in the day, through the real services: counts of what the engine did, and every walk-in's figures.</summary>
public sealed record SimulationResult(SimulationParameters Parameters, IReadOnlyList<SimulatedTicket> Tickets, int Served, int Transfers, int NoShowTickets,
    int AppointmentsCheckedIn, int AppointmentsMissed, int Breaks, HistoryFigures? History = null)
{
    /// <summary>The accuracy of one estimator (<paramref name="naive"/>: the baseline) over the called walk-ins.</summary>
    public EstimateAccuracy Accuracy(bool naive)
    {
        var called = Tickets.Where(t => t.CalledAt is not null).ToList();
        var errors = called.Select(t => Math.Abs((naive ? t.NaiveEstimateMinutes : t.EstimateMinutes) - t.WaitMinutes!.Value)).OrderBy(e => e).ToList();
        var inBand = called.Count(t => Math.Abs((naive ? t.NaiveEstimateMinutes : t.EstimateMinutes) - t.WaitMinutes!.Value)
            <= Math.Max(3, 0.25 * (naive ? t.NaiveEstimateMinutes : t.EstimateMinutes)));
        var near = called.Where(t => (naive ? t.NaiveNearAt : t.NearAt) is not null).ToList();
        var early = near.Count(t => (t.CalledAt!.Value - (naive ? t.NaiveNearAt : t.NearAt)!.Value).TotalMinutes > 15);
        return new EstimateAccuracy(called.Count, errors.Count == 0 ? 0 : Median(errors), called.Count == 0 ? 0 : (double)inBand / called.Count,
            near.Count, near.Count == 0 ? 0 : (double)early / near.Count);
    }

    static double Median(List<double> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>Median absolute error (minutes), share called within max(25 %, 3 min) of the estimate, share of "turn near" sent more than 15 minutes early.</summary>
public sealed record EstimateAccuracy(int Called, double MedianAbsoluteError, double InBandShare, int NearMessages, double EarlyNearShare);
