using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// Who is really at work: a desk (and later a device) beats while its connection is up; the beat is a row update, so every
/// node's estimator sees it. A session whose beats stopped for <see cref="HeartbeatGap"/> no longer counts, and is ended
/// when its connection goes away for good (<see cref="EndAsync"/>) or by <see cref="EndStaleAsync"/>.
/// </summary>
public sealed class PresenceService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How often a connected desk beats.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);
    /// <summary>No beat for this long: not present (a few missed beats, room for a reconnect).</summary>
    public static readonly TimeSpan HeartbeatGap = TimeSpan.FromMinutes(2);

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The agent's open session at the counter is alive now; false when there is none (it was ended meanwhile).</summary>
    public async Task<bool> HeartbeatAsync(int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        // A plain row update: no journey, no live event (nothing anyone sees changes).
        return await db.CounterSessions.Where(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct) > 0;
    }

    /// <summary>A paired kiosk or board is connected now: its last-seen time moves (a revoked one stays as it was).</summary>
    public async Task<bool> DeviceHeartbeatAsync(int deviceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        return await db.Devices.Where(d => d.Id == deviceId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct) > 0;
    }

    /// <summary>The desk's connection went away for good: its session ends (nothing to do when already ended).</summary>
    public async Task EndAsync(int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.CounterSessions.FirstOrDefaultAsync(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null, ct);
        if (session is null) return;
        session.Close(Now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends the sessions whose beats stopped (a crashed node's desks), at their last beat. Returns how many.</summary>
    public async Task<int> EndStaleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = Now - HeartbeatGap;
        var stale = await db.CounterSessions.Where(s => s.EndedAt == null && s.LastSeenAt < since).ToListAsync(ct);
        foreach (var s in stale) s.Close(s.LastSeenAt);
        await db.SaveChangesAsync(ct);
        return stale.Count;
    }
}
