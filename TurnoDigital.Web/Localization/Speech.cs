using System.Globalization;
using System.Text.RegularExpressions;
using Humanizer;

namespace TurnoDigital.Web.Localization;

/// <summary>Spells a call for speech synthesis: "A-012" at "Ventanilla 3" → "Turno A doce, ventanilla tres" (Humanizer's words).</summary>
public static partial class Speech
{
    static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es"), English = CultureInfo.GetCultureInfo("en");

    /// <summary>A number in Spanish words: 21 → "veintiuno", 105 → "ciento cinco".</summary>
    public static string NumberToWords(int n) => NumberToWords(n, english: false);

    public static string NumberToWords(int n, bool english) =>
        n is < 0 or > 9999 ? n.ToString(CultureInfo.InvariantCulture) : n.ToWords(english ? English : Spanish);

    public static string Call(string ticketNumber, string counterName, bool english = false)
    {
        var spokenNumber = SpellNumbers(ticketNumber.Replace('-', ' '), english);
        var counter = SpellNumbers(counterName.ToLowerInvariant(), english);
        return english ? $"Ticket {spokenNumber}, {counter}" : $"Turno {spokenNumber}, {counter}";
    }

    static string SpellNumbers(string text, bool english) => Digits().Replace(text, m => NumberToWords(int.Parse(m.Value, CultureInfo.InvariantCulture), english));

    [GeneratedRegex("[0-9]{1,4}")]
    private static partial Regex Digits();
}
