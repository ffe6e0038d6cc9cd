using System.Text.RegularExpressions;

namespace TurnoDigital.Web.Localization;

/// <summary>Spells a call for speech synthesis: "A-012" at "Ventanilla 3" → "Turno A doce, ventanilla tres".</summary>
public static partial class Speech
{
    static readonly string[] Units = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
        "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte",
        "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"];
    static readonly string[] Tens = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"];
    static readonly string[] Hundreds = ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos"];

    public static string NumberToWords(int n)
    {
        if (n < 0 || n > 9999) return n.ToString();
        if (n < 30) return Units[n];
        if (n < 100) return n % 10 == 0 ? Tens[n / 10] : $"{Tens[n / 10]} y {Units[n % 10]}";
        if (n == 100) return "cien";
        if (n < 1000) return n % 100 == 0 ? Hundreds[n / 100] : $"{Hundreds[n / 100]} {NumberToWords(n % 100)}";
        var thousands = n / 1000 == 1 ? "mil" : $"{NumberToWords(n / 1000)} mil";
        return n % 1000 == 0 ? thousands : $"{thousands} {NumberToWords(n % 1000)}";
    }

    public static string Call(string ticketNumber, string counterName, bool english = false)
    {
        var spokenNumber = SpellNumbers(ticketNumber.Replace('-', ' '));
        var counter = SpellNumbers(counterName.ToLowerInvariant());
        return english ? $"Ticket {ticketNumber.Replace('-', ' ')}, {counterName}" : $"Turno {spokenNumber}, {counter}";
    }

    static string SpellNumbers(string text) => Digits().Replace(text, m => NumberToWords(int.Parse(m.Value)));

    [GeneratedRegex("[0-9]{1,4}")]
    private static partial Regex Digits();
}
