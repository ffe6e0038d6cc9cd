using Microsoft.AspNetCore.Components.Server.Circuits;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Web.Live;

/// <summary>
/// One per circuit: the desk tells it which counter the agent opened; while the connection is up it beats
/// (<see cref="PresenceService"/>), a dropped connection stops the beats (the heartbeat gap is the grace for a reconnect,
/// which beats again), and when the circuit goes away for good the session ends.
/// </summary>
public sealed class DeskPresence(PresenceService presence, TimeProvider clock, ILogger<DeskPresence> log) : CircuitHandler, IDisposable
{
    (int CounterId, string AgentId)? desk;
    ITimer? timer;

    public void Attach(int counterId, string agentId)
    {
        desk = (counterId, agentId);
        Beat(true);
    }

    public void Detach()
    {
        desk = null;
        Beat(false);
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct)
    {
        Beat(desk is not null);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct)
    {
        Beat(false);
        return Task.CompletedTask;
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct)
    {
        Beat(false);
        if (desk is { } d)
        {
            desk = null;
            try { await presence.EndAsync(d.CounterId, d.AgentId, ct); }
            catch (Exception ex) { log.LogWarning(ex, "Could not end the desk session of counter {CounterId}", d.CounterId); }
        }
    }

    void Beat(bool on)
    {
        timer?.Dispose();
        timer = on ? clock.CreateTimer(_ => _ = BeatAsync(), null, TimeSpan.Zero, PresenceService.HeartbeatInterval) : null;
    }

    async Task BeatAsync()
    {
        if (desk is not { } d) return;
        try { await presence.HeartbeatAsync(d.CounterId, d.AgentId); }
        catch (Exception ex) { log.LogWarning(ex, "Desk heartbeat failed for counter {CounterId}", d.CounterId); }
    }

    public void Dispose() => timer?.Dispose();
}
