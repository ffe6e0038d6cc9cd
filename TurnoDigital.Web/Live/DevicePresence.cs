using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Live;

/// <summary>
/// One per circuit: while a paired kiosk's or board's connection is up it beats through <see cref="PresenceService"/>, so its
/// last-seen time in the database says whether it is alive (the alert job and the devices page read it). Staff circuits do nothing.
/// </summary>
public sealed class DevicePresence(AuthenticationStateProvider auth, PresenceService presence, TimeProvider clock, ILogger<DevicePresence> log)
    : CircuitHandler, IDisposable
{
    int? deviceId;
    ITimer? timer;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct)
    {
        try { deviceId ??= (await auth.GetAuthenticationStateAsync()).User.DeviceId(); }
        catch (InvalidOperationException) { return; } // no authentication state yet
        if (deviceId is null) return;
        timer?.Dispose();
        timer = clock.CreateTimer(_ => _ = BeatAsync(), null, TimeSpan.Zero, PresenceService.HeartbeatInterval);
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct)
    {
        timer?.Dispose();
        timer = null;
        return Task.CompletedTask;
    }

    async Task BeatAsync()
    {
        if (deviceId is not { } id) return;
        try { await presence.DeviceHeartbeatAsync(id); }
        catch (Exception ex) { log.LogWarning(ex, "Device heartbeat failed for device {DeviceId}", id); }
    }

    public void Dispose() => timer?.Dispose();
}
