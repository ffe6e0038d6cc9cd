using System.Security.Cryptography;
using System.Text;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>Meta's X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the raw body bytes keyed with the app secret.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Hub-Signature-256";
    const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>Fixed-time compare; hex in either case; false for a missing or malformed header or an empty secret.</summary>
    public static bool IsValid(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        if (string.IsNullOrEmpty(appSecret) || string.IsNullOrWhiteSpace(header)) return false;
        var value = header.Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || value.Length != Prefix.Length + 64) return false;
        byte[] given;
        try { given = Convert.FromHexString(value.AsSpan(Prefix.Length)); }
        catch (FormatException) { return false; }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
