using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Devices;

public sealed record DeviceView(int Id, int BranchId, string BranchName, DeviceKind Kind, string Name, bool Paired, bool Revoked,
    bool CodePending, DateTime? LastSeenAt, string TimeZoneId);

/// <summary>Registers, pairs and revokes kiosks and display boards.</summary>
public sealed class DeviceService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<DeviceView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        return await db.Devices.AsNoTracking().OrderBy(d => d.BranchId).ThenBy(d => d.Name)
            .Join(db.Branches, d => d.BranchId, b => b.Id, (d, b) => new DeviceView(d.Id, d.BranchId, b.Name, d.Kind, d.Name,
                d.PairedAt != null, d.RevokedAt != null,
                d.PairingCodeHash != null && (d.PairingCodeReusable || d.PairingCodeExpiresAt > now), d.LastSeenAt, b.TimeZoneId))
            .ToListAsync(ct);
    }

    /// <summary>Registers a device and returns its first pairing code (shown once, valid ten minutes).</summary>
    public async Task<(int DeviceId, string Code)> RegisterAsync(int branchId, DeviceKind kind, string name, string? actorId = null, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > Device.NameMax) throw new DomainException("Common.NameRequired", Device.NameMax);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Branches.AnyAsync(b => b.Id == branchId, ct)) throw new DomainException("Branch.NotFound");
        var device = new Device { BranchId = branchId, Kind = kind, Name = name, CreatedAt = Now };
        var code = device.NewPairingCode(Now);
        db.Devices.Add(device);
        // The id exists only after the insert: one transaction keeps the device and its entry together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, Now, actorId, null, AuditActions.DeviceRegistered, "Device", device.Id, branchId, new { kind = kind.ToString(), name });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (device.Id, code);
    }

    public async Task<string> NewCodeAsync(int deviceId, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.FindAsync([deviceId], ct) ?? throw new DomainException("Device.NotFound");
        var code = device.NewPairingCode(Now);
        AuditLog.Add(db, Now, actorId, null, AuditActions.DeviceCodeIssued, "Device", device.Id, device.BranchId);
        await db.SaveChangesAsync(ct);
        return code;
    }

    public async Task RevokeAsync(int deviceId, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.FindAsync([deviceId], ct) ?? throw new DomainException("Device.NotFound");
        device.Revoke(Now);
        AuditLog.Add(db, Now, actorId, null, AuditActions.DeviceRevoked, "Device", device.Id, device.BranchId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Pairs the device whose code this is (of the expected kind); null when the code is wrong, used or expired.</summary>
    public async Task<Device?> PairAsync(string code, DeviceKind kind, CancellationToken ct = default)
    {
        var normalized = Device.NormalizeCode(code);
        if (normalized.Length < 4) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = Device.Hash(normalized);
        var device = await db.Devices.FirstOrDefaultAsync(d => d.PairingCodeHash == hash && d.Kind == kind, ct);
        if (device is null || !device.Accepts(normalized, Now)) return null;
        device.Pair(Now);
        // Paired from the device itself: no signed-in user.
        AuditLog.Add(db, Now, $"device:{device.Id}", device.Name, AuditActions.DevicePaired, "Device", device.Id, device.BranchId);
        await db.SaveChangesAsync(ct);
        return device;
    }

    /// <summary>True while the device exists, is not revoked and its cookie carries the current stamp.</summary>
    public async Task<bool> IsValidAsync(int deviceId, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null || device.IsRevoked || device.Stamp != stamp) return false;
        if (device.LastSeenAt is null || Now - device.LastSeenAt > TimeSpan.FromMinutes(1))
        {
            device.LastSeenAt = Now;
            await db.SaveChangesAsync(ct);
        }
        return true;
    }
}
