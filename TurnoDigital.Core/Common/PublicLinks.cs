using Microsoft.Extensions.Options;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Common;

/// <summary>
/// The public pages a person opens without signing in: their routes, defined once, and the links to them.
/// Absolute links (WhatsApp, e-mail, the kiosk's QR, the API, the calendar file) start with the configured public base URL
/// (<c>WhatsApp:PublicBaseUrl</c>); relative links are for pages and resolve against the app's base (<c>&lt;base href&gt;</c>),
/// so they keep working under a path base.
/// </summary>
public sealed class PublicLinks(IOptionsMonitor<WhatsAppOptions> options)
{
    // Spanish public paths stay Spanish: they are printed and sent to people.
    public const string TicketSegment = "t", AppointmentSegment = "cita", LineSegment = "fila", CalendarSegment = "ics";

    /// <summary>The live status of a ticket (its QR, WhatsApp links, the API's statusUrl).</summary>
    public const string TicketRoute = "/" + TicketSegment + "/{Code}";
    /// <summary>An appointment: see it, cancel it or change it.</summary>
    public const string AppointmentRoute = "/" + AppointmentSegment + "/{Code}";
    /// <summary>The appointment's calendar file (.ics).</summary>
    public const string AppointmentCalendarRoute = "/" + AppointmentSegment + "/{code}/" + CalendarSegment;
    /// <summary>A branch's lines, to join one from home.</summary>
    public const string LineRoute = "/" + LineSegment + "/{BranchId:int}";

    /// <summary>The configured base, e.g. https://turnos.example.co or https://example.co/turnos/ (a trailing slash is optional).</summary>
    public string BaseUrl => options.CurrentValue.PublicBaseUrl;

    public static string Ticket(string code) => Path(TicketSegment, code);
    public static string Appointment(string code) => Path(AppointmentSegment, code);
    public static string AppointmentCalendar(string code) => Path(AppointmentSegment, code, CalendarSegment);
    public static string Line(int branchId) => Path(LineSegment, branchId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    /// <summary>The file name offered when the calendar file is downloaded.</summary>
    public static string AppointmentCalendarFileName(string code) => $"{AppointmentSegment}-{code}.{CalendarSegment}";

    public string TicketUrl(string code) => Absolute(Ticket(code));
    public string AppointmentUrl(string code) => Absolute(Appointment(code));
    public string AppointmentCalendarUrl(string code) => Absolute(AppointmentCalendar(code));
    public string LineUrl(int branchId) => Absolute(Line(branchId));

    /// <summary>
    /// The code inside a ticket link (e.g. what a QR scanner types: "https://turnos.example.co/t/ab12cd34ef?x=1"), lower-cased;
    /// "" when the link has the ticket path but no code; null when the text is no ticket link.
    /// </summary>
    public static string? TicketCodeFrom(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var marker = "/" + TicketSegment + "/";
        var at = text.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        var code = text[(at + marker.Length)..].Split('?', '#', '/')[0].Trim();
        return Uri.UnescapeDataString(code).ToLowerInvariant();
    }

    string Absolute(string relative) => $"{BaseUrl.TrimEnd('/')}/{relative}";

    static string Path(params string[] parts) => string.Join('/', parts.Select(Uri.EscapeDataString));
}
