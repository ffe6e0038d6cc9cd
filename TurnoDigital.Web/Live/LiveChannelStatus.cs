namespace TurnoDigital.Web.Live;

/// <summary>
/// Whether this node hears the other nodes' queue events live. While it does not (Redis is down), screens refresh from the
/// database every <see cref="RedisQueueNotifier.FallbackInterval"/> and say so (<c>LiveFallbackNotice</c>). One node without
/// Redis is always live.
/// </summary>
public sealed class LiveChannelStatus
{
    public bool Degraded { get; private set; }

    public event Action? Changed;

    internal void Set(bool degraded)
    {
        if (Degraded == degraded) return;
        Degraded = degraded;
        Changed?.Invoke();
    }
}

/// <summary>/health says "Degraded" while this node hears other nodes only through the periodic refresh: monitoring sees a Redis outage.</summary>
public sealed class LiveChannelHealthCheck(LiveChannelStatus status) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Degraded
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded("Live events through Redis are down; screens refresh from the database.")
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
}
