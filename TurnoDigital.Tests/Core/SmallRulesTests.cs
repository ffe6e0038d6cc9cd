using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Localization;

namespace TurnoDigital.Tests.Core;

public class SmallRulesTests
{
    [Theory]
    [InlineData(0, 5.0, 2, 0)]
    [InlineData(1, 5.0, 1, 5)]
    [InlineData(4, 5.0, 2, 10)]
    [InlineData(3, 4.5, 2, 7)]   // 6.75 rounds up
    [InlineData(3, 5.0, 0, 15)]  // nobody serving yet: assume one agent
    public void Estimate_is_people_ahead_times_service_time_over_agents(int ahead, double minutes, int agents, int expected) =>
        Assert.Equal(expected, WaitEstimator.EstimateMinutes(ahead, minutes, agents));

    [Fact]
    public void Average_service_time_falls_back_to_the_default_until_there_are_completions()
    {
        Assert.Equal(7, WaitEstimator.AverageServiceMinutes([], 7));
        Assert.Equal(3, WaitEstimator.AverageServiceMinutes([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4)], 7));
    }

    [Theory]
    [InlineData("300 123 4567", "+573001234567")]
    [InlineData("3001234567", "+573001234567")]
    [InlineData("+57 310 555 1234", "+573105551234")]
    [InlineData("601 234 5678", null)]  // Bogotá landline: no WhatsApp
    [InlineData("12345", null)]
    [InlineData("<script>", null)]
    [InlineData("", null)]
    public void WhatsApp_numbers_are_Colombian_mobiles_in_E164(string input, string? expected) =>
        Assert.Equal(expected, PhoneNumber.ParseOrNull(input)?.Value);

    [Fact]
    public void Branch_time_is_Bogota_and_days_turn_at_local_midnight()
    {
        var zone = BranchTime.Zone("America/Bogota");
        var lateEvening = new DateTime(2026, 11, 26, 4, 59, 0, DateTimeKind.Utc); // 23:59 on the 25th in Bogotá
        Assert.Equal(new DateOnly(2026, 11, 25), BranchTime.LocalDay(lateEvening, zone));
        Assert.Equal(new DateOnly(2026, 11, 26), BranchTime.LocalDay(lateEvening.AddMinutes(1), zone));
        Assert.Equal(23 * 60 + 59, BranchTime.LocalMinuteOfDay(lateEvening, zone));
    }

    [Fact]
    public void Branch_is_open_between_its_local_hours_of_the_weekday()
    {
        var branch = new Branch
        {
            Hours = [new() { Day = DayOfWeek.Wednesday, OpensAtMinute = 8 * 60, ClosesAtMinute = 12 * 60 },
                     new() { Day = DayOfWeek.Wednesday, OpensAtMinute = 14 * 60, ClosesAtMinute = 17 * 60 }],
        };
        Assert.False(branch.IsOpenAt(new DateTime(2026, 11, 25, 12, 59, 0, DateTimeKind.Utc))); // Wed 07:59
        Assert.True(branch.IsOpenAt(new DateTime(2026, 11, 25, 13, 0, 0, DateTimeKind.Utc)));   // 08:00
        Assert.False(branch.IsOpenAt(new DateTime(2026, 11, 25, 18, 0, 0, DateTimeKind.Utc)));  // 13:00, lunch
        Assert.True(branch.IsOpenAt(new DateTime(2026, 11, 25, 19, 0, 0, DateTimeKind.Utc)));   // 14:00
        Assert.False(branch.IsOpenAt(new DateTime(2026, 11, 25, 22, 0, 0, DateTimeKind.Utc)));  // 17:00
        Assert.True(branch.IsClosedForTheDay(new DateTime(2026, 11, 25, 22, 0, 0, DateTimeKind.Utc)));
        Assert.False(branch.IsOpenAt(new DateTime(2026, 11, 26, 15, 0, 0, DateTimeKind.Utc)));  // Thursday: no hours
    }

    [Fact]
    public void Holidays_and_closed_dates_close_the_branch_unless_it_works_on_holidays()
    {
        var branch = new Branch { Hours = Branch.AllWeek(8 * 60, 17 * 60), ClosedDates = [new() { Date = new DateOnly(2026, 12, 31) }] };
        Assert.Empty(branch.OpenIntervals(new DateOnly(2026, 12, 8)));   // Inmaculada Concepción
        Assert.Empty(branch.OpenIntervals(new DateOnly(2026, 12, 31)));  // closed date
        Assert.Single(branch.OpenIntervals(new DateOnly(2026, 12, 9)));
        branch.ObservesNationalHolidays = false;
        Assert.Single(branch.OpenIntervals(new DateOnly(2026, 12, 8)));
    }

    public static TheoryData<int, string[]> Holidays => new()
    {
        { 2026, ["2026-01-01", "2026-01-12", "2026-03-23", "2026-04-02", "2026-04-03", "2026-05-01", "2026-05-18", "2026-06-08", "2026-06-15",
                 "2026-06-29", "2026-07-20", "2026-08-07", "2026-08-17", "2026-10-12", "2026-11-02", "2026-11-16", "2026-12-08", "2026-12-25"] },
        { 2027, ["2027-01-01", "2027-01-11", "2027-03-22", "2027-03-25", "2027-03-26", "2027-05-01", "2027-05-10", "2027-05-31", "2027-06-07",
                 "2027-07-05", "2027-07-20", "2027-08-07", "2027-08-16", "2027-10-18", "2027-11-01", "2027-11-15", "2027-12-08", "2027-12-25"] },
    };

    [Theory]
    [MemberData(nameof(Holidays))]
    public void Colombian_holidays_are_the_official_ones(int year, string[] expected) =>
        Assert.Equal(expected.Select(DateOnly.Parse).Order(), ColombianHolidays.For(year).Order());

    [Fact]
    public void Easter_dates() =>
        Assert.Equal([new DateOnly(2026, 4, 5), new DateOnly(2027, 3, 28), new DateOnly(2025, 4, 20)],
            new[] { 2026, 2027, 2025 }.Select(ColombianHolidays.EasterSunday));

    [Fact]
    public void Pairing_code_is_one_use_and_expires_after_ten_minutes()
    {
        var now = new DateTime(2026, 11, 25, 15, 0, 0, DateTimeKind.Utc);
        var device = new Device();
        var code = device.NewPairingCode(now);
        Assert.False(device.Accepts(code, now.AddMinutes(10).AddSeconds(1)));
        Assert.True(device.Accepts(code.ToLowerInvariant(), now.AddMinutes(9)));
        var stamp = device.Stamp;
        device.Pair(now.AddMinutes(9));
        Assert.NotEqual(stamp, device.Stamp);
        Assert.False(device.Accepts(code, now.AddMinutes(9)));
    }

    [Fact]
    public void Reusable_demo_code_pairs_many_browsers_until_revoked()
    {
        var now = TurnoDigital.Tests.Support.CoreHarness.Start.UtcDateTime;
        var device = new Device();
        device.SetReusableCode("KIOSCO-DEMO");
        device.Pair(now);
        var stamp = device.Stamp;
        Assert.True(device.Accepts("kiosco demo", now.AddYears(1)));
        device.Pair(now);
        Assert.Equal(stamp, device.Stamp);
        device.Revoke(now);
        Assert.False(device.Accepts("KIOSCO-DEMO", now));
        Assert.NotEqual(stamp, device.Stamp);
    }

    [Theory]
    [InlineData(1, "uno")]
    [InlineData(12, "doce")]
    [InlineData(21, "veintiuno")]
    [InlineData(35, "treinta y cinco")]
    [InlineData(100, "cien")]
    [InlineData(101, "ciento uno")]
    [InlineData(999, "novecientos noventa y nueve")]
    [InlineData(1000, "mil")]
    [InlineData(2026, "dos mil veintiséis")]
    public void Numbers_are_spelled_in_Spanish(int n, string words) => Assert.Equal(words, Speech.NumberToWords(n));

    [Fact]
    public void A_call_is_spelled_for_speech()
    {
        Assert.Equal("Turno A doce, ventanilla tres", Speech.Call("A-012", "Ventanilla 3"));
        Assert.Equal("Turno B ciento cinco, módulo veinte", Speech.Call("B-105", "Módulo 20"));
        Assert.Equal("Ticket A twelve, ventanilla three", Speech.Call("A-012", "Ventanilla 3", english: true));
    }

    [Fact]
    public void SQL_Servers_row_statements_name_each_key_by_its_parameter()
    {
        // SQL Server is not run here: its dialect's text is pinned instead (the other providers run these statements in tests).
        var sqlServer = TurnoDigital.Core.Persistence.SqlDialect.ForProvider("Microsoft.EntityFrameworkCore.SqlServer");
        Assert.Equal("""INSERT INTO "T" ("A", "B", "C") SELECT {0}, {1}, {2} WHERE NOT EXISTS (SELECT 1 FROM "T" WITH (UPDLOCK, HOLDLOCK) WHERE "C" = {2} AND "A" = {0})""",
            sqlServer.InsertIfMissing("T", ["A", "B", "C"], ["C", "A"]));
        Assert.Equal("""UPDATE "T" SET "N" = "N" + 1 OUTPUT INSERTED."N" AS "Value" WHERE "A" = {0} AND "B" = {1}""", sqlServer.Increment("T", "N", ["A", "B"]));
    }
}
