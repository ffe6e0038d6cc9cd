namespace TurnoDigital.Core.Common;

/// <summary>Converts stored UTC instants to a branch's local time. Stored times are always UTC.</summary>
public static class BranchTime
{
    public const string DefaultTimeZone = "America/Bogota";

    public static TimeZoneInfo Zone(string? timeZoneId)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId ?? DefaultTimeZone); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone); }
    }

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    public static DateOnly LocalDay(DateTime utc, TimeZoneInfo zone) => DateOnly.FromDateTime(ToLocal(utc, zone));

    /// <summary>Minutes since local midnight.</summary>
    public static int LocalMinuteOfDay(DateTime utc, TimeZoneInfo zone)
    {
        var local = ToLocal(utc, zone);
        return local.Hour * 60 + local.Minute;
    }
}
