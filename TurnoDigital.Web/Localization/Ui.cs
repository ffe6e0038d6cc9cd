using System.Globalization;

namespace TurnoDigital.Web.Localization;

/// <summary>Spanish (es-CO) first, English available. Strings stay next to where they are used.</summary>
public static class Ui
{
    public const string Spanish = "es-CO", English = "en";
    public static readonly string[] Cultures = [Spanish, English];

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string es, string en) => IsEnglish ? en : es;

    public static CultureInfo Culture(bool english) => CultureInfo.GetCultureInfo(english ? English : Spanish);

    public static string Time(DateTime local) => local.ToString("h:mm tt", CultureInfo.GetCultureInfo("es-CO"));
}
