using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Organization;

public class Branch
{
    public const int NameMax = 100, TimeZoneMax = 64;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string TimeZoneId { get; set; } = BranchTime.DefaultTimeZone;
    /// <summary>Local opening time, minutes since midnight.</summary>
    public int OpensAtMinute { get; set; } = 8 * 60;
    /// <summary>Local closing time, minutes since midnight (1440 = midnight, open until the day ends).</summary>
    public int ClosesAtMinute { get; set; } = 17 * 60;

    public List<Counter> Counters { get; set; } = [];
    public List<Service> Services { get; set; } = [];

    public TimeZoneInfo Zone => BranchTime.Zone(TimeZoneId);

    public bool IsOpenAt(DateTime utc)
    {
        var minute = BranchTime.LocalMinuteOfDay(utc, Zone);
        return minute >= OpensAtMinute && minute < ClosesAtMinute;
    }
}
