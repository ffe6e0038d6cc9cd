using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Simulation;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>
/// Issue 17 §4: the channel report on daily pre-aggregates. A fixed simulated history (Tuesday 1 – Thursday 3 December, today
/// the 3rd at 11:00 in Bogotá) is reported exactly from its tickets, then again once its closed days are summed: every figure is
/// the same except p50/p90, which may be at most one histogram bucket above the exact value.
/// </summary>
public class DailyAggregateTests : IAsyncLifetime
{
    static readonly DateOnly First = new(2026, 12, 1);
    static readonly DateOnly Today = new(2026, 12, 3);
    static readonly DateTime Until = new(2026, 12, 3, 16, 0, 0, DateTimeKind.Utc);

    CoreHarness h = default!;
    int branchId;

    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        var result = await new SimulationEngine(h.Services, t => h.Clock.SetUtcNow(new DateTimeOffset(t, TimeSpan.Zero)))
            .RunHistoryAsync(new SimulationParameters(7, First, Agents: 3, WalkIns: 80, Appointments: 10), Until);
        Assert.True(result.Transfers > 0, "the history has transfers, so closed segments are summed too");
        await h.Queue.SweepClosingAsync();
        await using var db = h.Db();
        branchId = await db.Branches.Select(b => b.Id).SingleAsync();
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    ChannelReportService Reports => h.Services.GetRequiredService<ChannelReportService>();
    DailyAggregates Aggregates => h.Services.GetRequiredService<DailyAggregates>();

    async Task<DayClosure> ClosureAsync(DateOnly day)
    {
        await using var db = h.Db();
        return await db.DayClosures.AsNoTracking().SingleAsync(c => c.BranchId == branchId && c.Day == day);
    }

    [Fact]
    public async Task The_report_on_aggregates_matches_the_exact_computation_except_percentiles_within_one_bucket()
    {
        var filter = new ReportFilter(First.AddDays(-1), Today, [branchId], []);
        var exact = await Reports.ComputeAsync(filter);
        Assert.Null(exact.PercentileBucketSeconds);

        Assert.InRange(await Aggregates.RefreshAsync(), 2, 3);
        Assert.NotNull((await ClosureAsync(First)).AggregatedAt);
        Assert.Equal(0, await Aggregates.RefreshAsync()); // idempotent
        var summed = await Reports.ComputeAsync(filter);
        Assert.Equal(WaitHistogram.BucketSeconds, summed.PercentileBucketSeconds);
        Assert.Contains("30 s", summed.PercentileNote);

        AssertSame(exact, summed);
        Assert.True(summed.Daily[^1].PerChannel.Sum() > 0, "today has visits, read live");

        // A service filter reads the same cells.
        var service = exact.ByService[0].ServiceId!.Value;
        AssertSame(await ReportWithoutAggregatesAsync(filter with { ServiceIds = [service] }), await Reports.ComputeAsync(filter with { ServiceIds = [service] }));
    }

    /// <summary>The exact report of a filter: the stamps are cleared for the computation and put back.</summary>
    async Task<ChannelReport> ReportWithoutAggregatesAsync(ReportFilter filter)
    {
        await using var db = h.Db();
        var stamps = await db.DayClosures.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.AggregatedAt);
        await db.DayClosures.ExecuteUpdateAsync(s => s.SetProperty(c => c.AggregatedAt, (DateTime?)null));
        var report = await Reports.ComputeAsync(filter);
        foreach (var (id, at) in stamps) await db.DayClosures.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AggregatedAt, at));
        Assert.Null(report.PercentileBucketSeconds);
        return report;
    }

    static void AssertSame(ChannelReport exact, ChannelReport summed)
    {
        Assert.Equal(Figures(exact.Total), Figures(summed.Total));
        Assert.Equal(exact.ByChannel.Select(Figures), summed.ByChannel.Select(Figures));
        Assert.Equal(exact.ByService.Select(Figures), summed.ByService.Select(Figures));
        Assert.Equal(exact.Reminders, summed.Reminders);
        Assert.Equal(exact.Demand.Cast<int>(), summed.Demand.Cast<int>());
        Assert.Equal(exact.Daily.Select(d => (d.Day, string.Join(",", d.PerChannel))), summed.Daily.Select(d => (d.Day, string.Join(",", d.PerChannel))));
        Assert.True(exact.Total.WaitP90Seconds > 0, "there are waits to compare");
        foreach (var (e, s) in exact.ByChannel.Append(exact.Total).Concat(exact.ByService)
                     .Zip(summed.ByChannel.Append(summed.Total).Concat(summed.ByService)))
        {
            WithinOneBucket(e.WaitP50Seconds, s.WaitP50Seconds);
            WithinOneBucket(e.WaitP90Seconds, s.WaitP90Seconds);
        }
    }

    static void WithinOneBucket(int? exact, int? summed)
    {
        Assert.Equal(exact is null, summed is null);
        if (exact is null) return;
        Assert.InRange(summed!.Value - exact.Value, 0, WaitHistogram.BucketSeconds - 1);
    }

    /// <summary>Every figure of a row but the percentiles, as text (averages rounded to the microsecond).</summary>
    static string Figures(KpiRow k) => string.Join("|", k.Label, k.Visits, k.Share.ToString("F9"), k.Called, k.Served, k.WalkOuts, k.TicketNoShows, k.NotArrived,
        k.ServiceLevelCalled, k.ServiceLevelWithin, k.ServiceLevelGoalPercent, k.TargetWaitMinutes, k.WaitAvgSeconds?.ToString("F6"), k.ServiceAvgSeconds?.ToString("F6"),
        k.AppointmentsDue, k.AppointmentNoShows, string.Join(",", k.RatingCounts));

    [Fact]
    public async Task A_late_rating_on_a_summed_day_marks_it_stale_in_its_save_and_the_next_run_sums_it_again()
    {
        await Aggregates.RefreshAsync();
        var day = First.AddDays(1);
        var filter = new ReportFilter(day, day, [branchId], []);
        var before = await Reports.ComputeAsync(filter);
        Assert.NotNull(before.PercentileBucketSeconds);
        var lateBefore = (await ClosureAsync(day)).LateChanges;

        // The person rates the next morning (today), through the entity as the rating flow does.
        await using (var db = h.Db())
        {
            var ticket = await db.Tickets.FirstAsync(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Completed && t.Rating == null);
            ticket.Rate(1, Channel.WhatsApp, h.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
        var stale = await ClosureAsync(day);
        Assert.Null(stale.AggregatedAt);
        Assert.Equal(lateBefore + 1, stale.LateChanges);
        Assert.NotNull((await ClosureAsync(First)).AggregatedAt); // other days keep theirs

        // Until the job runs the day is read from its tickets, exactly: the rating is there at once.
        var live = await Reports.ComputeAsync(filter);
        Assert.Null(live.PercentileBucketSeconds);
        Assert.Equal(before.Total.RatingCounts[0] + 1, live.Total.RatingCounts[0]);

        Assert.Equal(1, await Aggregates.RefreshAsync());
        var again = await Reports.ComputeAsync(filter);
        Assert.NotNull(again.PercentileBucketSeconds);
        Assert.Equal(live.Total.RatingCounts, again.Total.RatingCounts);
    }

    [Fact]
    public async Task Saves_on_todays_open_tickets_leave_the_summed_days_alone()
    {
        await Aggregates.RefreshAsync();
        await using var db = h.Db();
        var before = await db.DayClosures.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.LateChanges, c.AggregatedAt }).ToListAsync();
        var ticket = await db.Tickets.FirstAsync(t => t.ServiceDay == Today && t.Status == TicketStatus.Waiting);
        ticket.Cancel(h.Clock.GetUtcNow().UtcDateTime, Channel.Web);
        await db.SaveChangesAsync();
        Assert.Equal(before, await db.DayClosures.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.LateChanges, c.AggregatedAt }).ToListAsync());
        Assert.All(before, c => Assert.NotNull(c.AggregatedAt));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 30)]
    [InlineData(30, 30)]
    [InlineData(31, 60)]
    public void A_histogram_percentile_is_the_upper_edge_of_the_bucket_holding_the_rank(int seconds, int expected)
    {
        var h = new WaitHistogram();
        h.Add(seconds);
        var stored = new WaitHistogram();
        stored.Merge(h.ToString());
        Assert.Equal(expected, stored.Percentile(50));
    }
}
