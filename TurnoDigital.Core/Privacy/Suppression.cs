using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Privacy;

/// <summary>
/// A WhatsApp number that must not be messaged again (erased on request, or opted out before its data was removed).
/// Only a keyed hash is kept, never the number: the record itself holds no personal data.
/// </summary>
public class SuppressedNumber
{
    public const int HashMax = 64, ReasonMax = 24;
    public const string Erased = "erased", OptedOut = "opted-out";

    /// <summary>HMAC-SHA256 of the wa_id, hex (see <see cref="NumberHash"/>).</summary>
    public string Hash { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime At { get; set; }
}

/// <summary>Config section "Privacy".</summary>
public sealed class PrivacyOptions
{
    /// <summary>Key of the suppression hashes; keep it stable (a new key forgets every suppressed number).</summary>
    public string SuppressionKey { get; set; } = "";
}

/// <summary>
/// The keyed hash of a number. The key is <c>Privacy:SuppressionKey</c>; without one it is derived from the WhatsApp app secret
/// (a secret every deployment that sends messages has). A plain hash would be reversible: Colombian mobiles are few enough to try all.
/// </summary>
public sealed class NumberHash(IOptions<PrivacyOptions> privacy, IOptions<WhatsApp.WhatsAppOptions> whatsApp)
{
    readonly byte[] key = SHA256.HashData(Encoding.UTF8.GetBytes("turno-suppression:" +
        (privacy.Value.SuppressionKey is { Length: > 0 } k ? k : whatsApp.Value.AppSecret)));

    /// <summary>The hash of a wa_id or E.164 number (the "+" does not matter).</summary>
    public string Of(string waIdOrPhone) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(WhatsApp.Outbox.WaId(waIdOrPhone.Trim())))).ToLowerInvariant();

    /// <summary>Adds the suppression records that do not exist yet (to be saved by the caller).</summary>
    public async Task SuppressAsync(TurnoDbContext db, IEnumerable<string> waIds, string reason, DateTime now, CancellationToken ct)
    {
        foreach (var hash in waIds.Select(Of).Distinct())
            if (!db.SuppressedNumbers.Local.Any(s => s.Hash == hash) && !await db.SuppressedNumbers.AnyAsync(s => s.Hash == hash, ct))
                db.SuppressedNumbers.Add(new SuppressedNumber { Hash = hash, Reason = reason, At = now });
    }
}
