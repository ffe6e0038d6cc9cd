using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Supervision.Alerts;

namespace TurnoDigital.Core.Scheduling;

/// <summary>Opens and closes the channel owners' alerts (<see cref="AlertMonitor"/>) once a minute. Idempotent sweeper.</summary>
[DisallowConcurrentExecution]
public sealed class CheckAlertsJob(AlertMonitor monitor, ILogger<CheckAlertsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var (opened, closed) = await monitor.CheckAsync(ct);
        if (opened + closed > 0) log.LogInformation("Alerts: {Opened} opened, {Closed} closed", opened, closed);
    }
}
