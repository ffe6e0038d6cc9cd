namespace TurnoDigital.Core.Organization;

/// <summary>
/// Colombian public holidays (festivos): fixed dates, dates moved to the next Monday (Ley 51 de 1983)
/// and dates counted from Easter Sunday.
/// </summary>
public static class ColombianHolidays
{
    static readonly Dictionary<int, HashSet<DateOnly>> Cache = [];
    static readonly Lock Gate = new();

    public static bool IsHoliday(DateOnly date) => For(date.Year).Contains(date);

    public static IReadOnlySet<DateOnly> For(int year)
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(year, out var cached)) return cached;
            var easter = EasterSunday(year);
            var days = new HashSet<DateOnly>
            {
                new(year, 1, 1), new(year, 5, 1), new(year, 7, 20), new(year, 8, 7), new(year, 12, 8), new(year, 12, 25),
                NextMonday(new(year, 1, 6)), NextMonday(new(year, 3, 19)), NextMonday(new(year, 6, 29)), NextMonday(new(year, 8, 15)),
                NextMonday(new(year, 10, 12)), NextMonday(new(year, 11, 1)), NextMonday(new(year, 11, 11)),
                easter.AddDays(-3), easter.AddDays(-2),                       // Jueves y Viernes Santo
                easter.AddDays(43), easter.AddDays(64), easter.AddDays(71),   // Ascensión, Corpus Christi, Sagrado Corazón (Mondays)
            };
            Cache[year] = days;
            return days;
        }
    }

    static DateOnly NextMonday(DateOnly d) => d.AddDays(((int)DayOfWeek.Monday - (int)d.DayOfWeek + 7) % 7);

    /// <summary>Anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451, month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
