using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Organization;

public class Branch
{
    public const int NameMax = 100, TimeZoneMax = 64, AddressMax = 200;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string TimeZoneId { get; set; } = BranchTime.DefaultTimeZone;
    public string? Address { get; set; }
    /// <summary>Closed on Colombian public holidays (true for almost every office; an emergency clinic may not be).</summary>
    public bool ObservesNationalHolidays { get; set; } = true;
    /// <summary>
    /// Reminders and closure notices leave only between these local minutes (default 07:00–20:00); outside them they wait.
    /// Messages to someone in today's line (turn near, being called) are never held.
    /// </summary>
    public int MessagesFromMinute { get; set; } = DefaultMessagesFrom;
    public int MessagesToMinute { get; set; } = DefaultMessagesTo;
    public const int DefaultMessagesFrom = 7 * 60, DefaultMessagesTo = 20 * 60;

    public List<OpeningHours> Hours { get; set; } = [];
    public List<ClosedDate> ClosedDates { get; set; } = [];
    public List<Counter> Counters { get; set; } = [];
    public List<Service> Services { get; set; } = [];

    public TimeZoneInfo Zone => BranchTime.Zone(TimeZoneId);

    /// <summary>Open intervals of a local date (local minutes), empty when closed that day. Needs Hours and ClosedDates loaded.</summary>
    public IReadOnlyList<(int From, int To)> OpenIntervals(DateOnly localDate)
    {
        if (ClosedDates.Any(c => c.Date == localDate)) return [];
        if (ObservesNationalHolidays && ColombianHolidays.IsHoliday(localDate)) return [];
        return Hours.Where(h => h.Day == localDate.DayOfWeek && h.ClosesAtMinute > h.OpensAtMinute)
            .OrderBy(h => h.OpensAtMinute).Select(h => (h.OpensAtMinute, h.ClosesAtMinute)).ToList();
    }

    public bool IsOpenAt(DateTime utc)
    {
        var day = BranchTime.LocalDay(utc, Zone);
        var minute = BranchTime.LocalMinuteOfDay(utc, Zone);
        return OpenIntervals(day).Any(i => minute >= i.From && minute < i.To);
    }

    /// <summary>True once the local day's last interval has ended (or the day has none).</summary>
    public bool IsClosedForTheDay(DateTime utc)
    {
        var day = BranchTime.LocalDay(utc, Zone);
        var intervals = OpenIntervals(day);
        return intervals.Count == 0 || BranchTime.LocalMinuteOfDay(utc, Zone) >= intervals.Max(i => i.To);
    }

    /// <summary>
    /// The next local date and time the branch opens after <paramref name="utc"/> (a later interval today, else a later day),
    /// looking a month ahead; null when none. <paramref name="notToday"/>: the day is over (closed by a supervisor), look from tomorrow.
    /// </summary>
    public DateTime? NextOpeningLocal(DateTime utc, bool notToday = false)
    {
        var today = BranchTime.LocalDay(utc, Zone);
        var minute = BranchTime.LocalMinuteOfDay(utc, Zone);
        for (var i = notToday ? 1 : 0; i <= 31; i++)
        {
            var day = today.AddDays(i);
            foreach (var (from, _) in OpenIntervals(day))
                if (i > 0 || from > minute) return day.ToDateTime(TimeOnly.MinValue).AddMinutes(from);
        }
        return null;
    }

    /// <summary>
    /// The first moment at or after <paramref name="utc"/> inside the message hours (<see cref="MessagesFromMinute"/>–<see cref="MessagesToMinute"/>, local).
    /// </summary>
    public DateTime NextMessageMoment(DateTime utc)
    {
        var (from, to) = (Math.Clamp(MessagesFromMinute, 0, 1440), Math.Clamp(MessagesToMinute, 0, 1440));
        if (to <= from) return utc; // no sensible window: never hold
        var day = BranchTime.LocalDay(utc, Zone);
        var minute = BranchTime.LocalMinuteOfDay(utc, Zone);
        if (minute >= from && minute < to) return utc;
        var opens = minute < from ? day : day.AddDays(1);
        return TimeZoneInfo.ConvertTimeToUtc(opens.ToDateTime(TimeOnly.MinValue).AddMinutes(from), Zone);
    }

    /// <summary>Every day, all day: the demo works at any hour.</summary>
    public static List<OpeningHours> AllWeek(int from, int to) =>
        Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours { Day = d, OpensAtMinute = from, ClosesAtMinute = to }).ToList();
}
