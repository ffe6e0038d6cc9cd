using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Scheduling;

/// <summary>Closing time and day close: a sweeper (<see cref="QueueService.SweepClosingAsync"/>). Idempotent.</summary>
[DisallowConcurrentExecution]
public sealed class ExpireTicketsJob(QueueService queue, ILogger<ExpireTicketsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var expired = await queue.SweepClosingAsync(ct);
        if (expired > 0) log.LogInformation("Closing sweep ended {Count} tickets", expired);
    }
}
