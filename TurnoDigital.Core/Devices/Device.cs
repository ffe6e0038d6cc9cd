using System.Security.Cryptography;
using System.Text;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Core.Devices;

public enum DeviceKind { Kiosk, Display }

/// <summary>A kiosk or display board. Paired once with a short code; then it holds a device cookie.</summary>
public class Device : Entity
{
    public const int NameMax = 80, HashMax = 64;
    public static readonly TimeSpan PairingCodeLifetime = TimeSpan.FromMinutes(10);

    public int Id { get; set; }
    public int BranchId { get; set; }
    public DeviceKind Kind { get; set; }
    public string Name { get; set; } = "";
    /// <summary>SHA-256 of the pending pairing code (the code itself is shown once).</summary>
    public string? PairingCodeHash { get; set; }
    /// <summary>Null with a code set: a reusable code (the demo's), which never expires.</summary>
    public DateTime? PairingCodeExpiresAt { get; set; }
    public bool PairingCodeReusable { get; set; }
    /// <summary>Changes on every pairing and revocation; a cookie with another stamp is refused.</summary>
    public Guid Stamp { get; set; } = Guid.NewGuid();
    public DateTime CreatedAt { get; set; }
    public DateTime? PairedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastSeenAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Issues a fresh one-use code valid for ten minutes; returns it (shown once).</summary>
    public string NewPairingCode(DateTime now)
    {
        var code = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8);
        PairingCodeHash = Hash(code);
        PairingCodeExpiresAt = now + PairingCodeLifetime;
        PairingCodeReusable = false;
        RevokedAt = null;
        return code;
    }

    public void SetReusableCode(string code)
    {
        PairingCodeHash = Hash(code);
        PairingCodeExpiresAt = null;
        PairingCodeReusable = true;
    }

    public bool Accepts(string code, DateTime now) =>
        !IsRevoked && PairingCodeHash is not null && PairingCodeHash == Hash(code)
        && (PairingCodeReusable || PairingCodeExpiresAt > now);

    public void Pair(DateTime now)
    {
        if (IsRevoked) throw new DomainException("Device.Revoked");
        PairedAt = now;
        LastSeenAt = now;
        // A one-use code moves the device to this browser: earlier cookies stop working.
        // The demo's reusable code pairs any number of browsers as the same device.
        if (!PairingCodeReusable) { PairingCodeHash = null; PairingCodeExpiresAt = null; Stamp = Guid.NewGuid(); }
    }

    public void Revoke(DateTime now)
    {
        RevokedAt = now;
        PairingCodeHash = null;
        PairingCodeExpiresAt = null;
        PairingCodeReusable = false;
        Stamp = Guid.NewGuid();
        // The device's open screen ends its session at once.
        Announce(new QueueEvent(BranchId, QueueEventKind.DeviceRevoked, DeviceId: Id));
    }

    public static string NormalizeCode(string? code) =>
        new((code ?? "").Where(char.IsLetterOrDigit).Take(32).Select(char.ToUpperInvariant).ToArray());

    public static string Hash(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeCode(code))));
}
