using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Web.Endpoints;

public static class BookingEndpoints
{
    public static void MapBookingEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous like the manage page: the code is the secret, and the file holds no personal data.
        app.MapGet(PublicLinks.AppointmentCalendarRoute, async (string code, BookingService booking, PublicLinks links, TimeProvider clock, CancellationToken ct) =>
        {
            var a = await booking.GetAsync(code, ct);
            if (a is null) return Results.NotFound();
            var ics = Calendar(a, links.AppointmentUrl(a.Code), clock.GetUtcNow().UtcDateTime);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar", PublicLinks.AppointmentCalendarFileName(a.Code));
        }).AllowAnonymous().RequireRateLimiting(TurnoDigital.Web.Security.RateLimits.Public);
    }

    /// <summary>One VEVENT in UTC, so every calendar app shows it at the branch's local time without a VTIMEZONE.</summary>
    public static string Calendar(AppointmentView a, string manageUrl, DateTime nowUtc)
    {
        var endUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(a.EndLocal, DateTimeKind.Unspecified), BranchTime.Zone(a.TimeZoneId));
        var calendar = new Calendar { ProductId = "-//Turno Digital//Citas//ES" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{a.Code}@turnodigital",
            DtStamp = new CalDateTime(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)),
            Start = new CalDateTime(DateTime.SpecifyKind(a.StartUtc, DateTimeKind.Utc)),
            End = new CalDateTime(endUtc),
            Summary = $"Cita: {a.ServiceName}",
            Location = a.BranchAddress is null ? a.BranchName : $"{a.BranchName}, {a.BranchAddress}",
            Description = $"Código de la cita: {a.Code}\nCambiar o cancelar: {manageUrl}\nEn la sede, use el kiosco con su número de documento o este código.",
            // A cancelled appointment's file removes it from the calendar instead of adding it.
            Status = a.Status == AppointmentStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
