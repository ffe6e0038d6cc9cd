using PhoneNumbers;

namespace TurnoDigital.Core.Customers;

public static class PhoneNumberRules
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Parses a Colombian (or international, with +) mobile number to E.164; null when it is not a valid mobile.</summary>
    public static string? ToE164Mobile(string? input, string region = "CO")
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
