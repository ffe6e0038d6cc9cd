using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace TurnoDigital.Core.Customers;

/// <summary>A mobile number in E.164 (e.g. +573001234567). The one phone rule: Colombian, or international with +, and a mobile.</summary>
public sealed record PhoneNumber
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    PhoneNumber(string value) => Value = value;

    /// <summary>E.164, e.g. +573001234567.</summary>
    public string Value { get; }

    public static bool TryParse(string? input, [NotNullWhen(true)] out PhoneNumber? phone, string region = "CO")
    {
        phone = ToE164Mobile(input, region) is { } e164 ? new PhoneNumber(e164) : null;
        return phone is not null;
    }

    public static PhoneNumber Parse(string? input, string region = "CO") =>
        TryParse(input, out var phone, region) ? phone : throw new FormatException("Not a valid mobile number.");

    /// <summary>The number, or null when <paramref name="input"/> is not a valid mobile.</summary>
    public static PhoneNumber? ParseOrNull(string? input, string region = "CO") => TryParse(input, out var phone, region) ? phone : null;

    /// <summary>A value read back from the database: it was valid when stored, so it is not parsed again.</summary>
    internal static PhoneNumber FromStored(string e164) => new(e164);

    public override string ToString() => Value;

    static string? ToE164Mobile(string? input, string region)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 30) return null;
        try
        {
            var number = Util.Parse(input, region);
            if (!Util.IsValidNumber(number)) return null;
            var type = Util.GetNumberType(number);
            if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE)) return null;
            return Util.Format(number, PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
