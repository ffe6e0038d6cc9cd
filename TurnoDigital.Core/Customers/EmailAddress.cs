using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;

namespace TurnoDigital.Core.Customers;

/// <summary>
/// An e-mail address, trimmed and in lower case. The one e-mail rule for customers and staff: a plain address (no display
/// name, no spaces) with a dotted domain, at most <see cref="MaxLength"/> characters.
/// </summary>
public sealed record EmailAddress
{
    public const int MaxLength = 254;

    EmailAddress(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? input, [NotNullWhen(true)] out EmailAddress? email)
    {
        email = null;
        var s = input?.Trim();
        if (string.IsNullOrEmpty(s) || s.Length > MaxLength || s.Any(char.IsWhiteSpace) || s.Any(char.IsControl)) return false;
        if (!MailAddress.TryCreate(s, out var mail) || mail.Address != s || mail.DisplayName.Length > 0) return false;
        var host = mail.Host;
        if (!host.Contains('.') || host.StartsWith('.') || host.EndsWith('.')) return false;
        email = new EmailAddress(s.ToLowerInvariant());
        return true;
    }

    public static EmailAddress Parse(string? input) =>
        TryParse(input, out var email) ? email : throw new FormatException("Not a valid e-mail address.");

    public static EmailAddress? ParseOrNull(string? input) => TryParse(input, out var email) ? email : null;

    /// <summary>A value read back from the database: it was valid when stored, so it is not parsed again.</summary>
    internal static EmailAddress FromStored(string value) => new(value);

    public override string ToString() => Value;
}
