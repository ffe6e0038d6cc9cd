using System.Globalization;
using Microsoft.Extensions.Localization;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Resources;

namespace TurnoDigital.Web.Components.Pages.Book.Components;

/// <summary>Dates and times as people say them, in the branch's local time.</summary>
public static class BookingText
{
    static IStringLocalizer L => Texts.Of<PublicText>();

    static CultureInfo Culture => Ui.Culture(Ui.IsEnglish);

    /// <summary>"Miércoles 25 de noviembre" / "Wednesday, November 25".</summary>
    public static string Day(DateOnly day) => Capitalize(day.ToString(Ui.IsEnglish ? "dddd, MMMM d" : "dddd d 'de' MMMM", Culture));

    /// <summary>"Miércoles 25 de noviembre de 2026" for confirmations, where the year matters.</summary>
    public static string LongDay(DateTime local) => Capitalize(local.ToString(Ui.IsEnglish ? "dddd, MMMM d, yyyy" : "dddd d 'de' MMMM 'de' yyyy", Culture));

    /// <summary>"10:30 a. m." (Colombian style in both languages, as on the tickets).</summary>
    public static string Time(DateTime local) => Ui.Time(local);

    public static string When(AppointmentView a) => $"{LongDay(a.StartLocal)}, {Time(a.StartLocal)}";

    public static string ServiceName(AppointmentView a) => Ui.IsEnglish && !string.IsNullOrWhiteSpace(a.ServiceNameEn) ? a.ServiceNameEn! : a.ServiceName;

    public static string Status(AppointmentView a) => a.CancelledByBranch ? L["BookingText.CancelledByBranch"] : Status(a.Status);

    public static string Status(AppointmentStatus s) => s switch
    {
        AppointmentStatus.Booked => L["BookingText.Booked"],
        AppointmentStatus.CheckedIn => L["BookingText.Checked"],
        AppointmentStatus.Cancelled => L["BookingText.Cancelled"],
        _ => L["BookingText.Missed"],
    };

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpper(s[0], Culture) + s[1..];
}
