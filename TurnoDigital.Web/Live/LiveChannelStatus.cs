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
