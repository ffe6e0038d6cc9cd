using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Scheduling;

/// <summary>
/// Desk sessions whose heartbeat stopped (a crashed node, a circuit that vanished without a clean end) end at their last beat,
/// so the estimator and the panel stop counting them (<see cref="PresenceService.EndStaleAsync"/>). Idempotent sweeper.
/// </summary>
[DisallowConcurrentExecution]
public sealed class EndStaleSessionsJob(PresenceService presence, ILogger<EndStaleSessionsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var ended = await presence.EndStaleAsync(ct);
        if (ended > 0) log.LogInformation("Ended {Count} desk sessions without a heartbeat", ended);
    }
}
