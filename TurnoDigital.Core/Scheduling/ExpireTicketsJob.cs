using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Scheduling;

/// <summary>Day close: a sweeper that expires tickets left waiting or called after closing. Idempotent.</summary>
[DisallowConcurrentExecution]
public sealed class ExpireTicketsJob(QueueService queue, ILogger<ExpireTicketsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var expired = await queue.ExpireLeftoversAsync(ct);
        if (expired > 0) log.LogInformation("Day close expired {Count} tickets", expired);
    }
}
