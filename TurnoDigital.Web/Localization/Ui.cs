using System.Globalization;

namespace TurnoDigital.Web.Localization;

/// <summary>Spanish (es-CO) first, English available. Texts live in Resources/*.resx (IStringLocalizer).</summary>
public static class Ui
{
    public const string Spanish = "es-CO", English = "en";
    public static readonly string[] Cultures = [Spanish, English];

    /// <summary>Whether the request's UI culture (the culture cookie) is English.</summary>
    public static bool IsEnglish => IsEnglishIn(null);

    /// <summary>Whether <paramref name="culture"/> (a screen's own language, e.g. the kiosk's), else the UI culture, is English.</summary>
    public static bool IsEnglishIn(CultureInfo? culture) => (culture ?? CultureInfo.CurrentUICulture).TwoLetterISOLanguageName == "en";

    public static CultureInfo Culture(bool english) => CultureInfo.GetCultureInfo(english ? English : Spanish);

    public static string Time(DateTime local) => local.ToString("h:mm tt", CultureInfo.GetCultureInfo("es-CO"));
}
