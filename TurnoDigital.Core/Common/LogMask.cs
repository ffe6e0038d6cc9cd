using System.Text.RegularExpressions;

namespace TurnoDigital.Core.Common;

/// <summary>
/// What a log line may show of personal data: nothing that identifies a person. Phone and document numbers keep a few digits
/// (573001234567 → 57300*****67) so an operator can still tell two apart; codes in public paths (/t/{code}, /cita/{code}) are hidden.
/// </summary>
public static partial class LogMask
{
    /// <summary>A phone, wa_id or document number: country code and operator prefix and the last two digits of a full number, else the last two.</summary>
    public static string Number(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var digits = value.TrimStart('+');
        return digits.Length >= 11 ? digits[..5] + new string('*', digits.Length - 7) + digits[^2..]
            : digits.Length > 4 ? new string('*', digits.Length - 2) + digits[^2..]
            : new string('*', digits.Length);
    }

    /// <summary>Free text with every run of six or more digits masked and the code of every public link hidden.</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return value ?? "";
        var masked = CodeInPath().Replace(value, "$1***");
        return DigitRun().Replace(masked, m => (m.Value.StartsWith('+') ? "+" : "") + Number(m.Value));
    }

    // /t/{code}, /cita/{code} (and its /ics), and the API's /appointments/{code} and /tickets/{code}.
    [GeneratedRegex(@"(/(?:t|cita|appointments|tickets)/)[^/?#\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex CodeInPath();

    [GeneratedRegex(@"\+?\d{6,}")]
    private static partial Regex DigitRun();
}
