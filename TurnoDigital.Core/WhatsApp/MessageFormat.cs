using System.Globalization;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>Dates and times as people in Colombia read them in a message ("jueves 26 de noviembre", "2:30 p. m.").</summary>
public static class MessageFormat
{
    static readonly DateTimeFormatInfo Spanish = CultureInfo.GetCultureInfo("es-CO").DateTimeFormat;

    public static string Date(DateTime local) => $"{Spanish.GetDayName(local.DayOfWeek)} {local.Day} de {Spanish.GetMonthName(local.Month)}";

    /// <summary>Built by hand: ICU's "a. m." uses non-breaking spaces that vary between versions.</summary>
    public static string Time(DateTime local) =>
        $"{(local.Hour % 12 == 0 ? 12 : local.Hour % 12)}:{local.Minute:00} {(local.Hour < 12 ? "a. m." : "p. m.")}";
}
