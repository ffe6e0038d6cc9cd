using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.Web;

/// <summary>The live screens' refresh rule: at once when idle, events during a refresh merged into one next refresh, none lost.</summary>
public class RefreshCoalescerTests
{
    // Each refresh waits until the test completes it: the test decides when a refresh is "running".
    readonly List<(IReadOnlyList<int> Events, TaskCompletionSource Done)> refreshes = [];
    readonly List<Exception> failures = [];

    RefreshCoalescer<int> Coalescer(Func<IReadOnlyList<int>, Task>? refresh = null) => new(refresh ?? (events =>
    {
        var done = new TaskCompletionSource();
        refreshes.Add((events, done));
        return done.Task;
    }), failures.Add);

    [Fact]
    public void The_first_event_refreshes_at_once()
    {
        Coalescer().Post(1);
        Assert.Equal([1], Assert.Single(refreshes).Events);
    }

    [Fact]
    public async Task Events_during_a_refresh_are_merged_into_one_next_refresh_and_none_is_lost()
    {
        var c = Coalescer();
        var first = c.Post(1);
        var second = c.Post(2);
        var third = c.Post(3);
        Assert.Single(refreshes); // nothing starts while one runs
        Assert.False(second.IsCompleted);

        refreshes[0].Done.SetResult();
        await first;
        Assert.Equal(2, refreshes.Count);
        Assert.Equal([2, 3], refreshes[1].Events);
        Assert.False(third.IsCompleted); // done only once the refresh that includes it has run

        c.Post(4); // during the second refresh
        refreshes[1].Done.SetResult();
        await Task.WhenAll(second, third);
        Assert.Equal([4], refreshes[2].Events);
        refreshes[2].Done.SetResult();

        c.Post(5); // idle again: at once
        Assert.Equal([5], refreshes[3].Events);
        Assert.Equal([1, 2, 3, 4, 5], refreshes.SelectMany(r => r.Events));
    }

    [Fact]
    public async Task A_request_without_an_event_rides_along_with_the_events()
    {
        var c = Coalescer();
        var load = c.RefreshAsync();
        Assert.Empty(Assert.Single(refreshes).Events);
        c.Post(7);
        var again = c.RefreshAsync();
        refreshes[0].Done.SetResult();
        await load;
        Assert.Equal([7], refreshes[1].Events);
        refreshes[1].Done.SetResult();
        await again;
        Assert.Equal(2, refreshes.Count);
    }

    [Fact]
    public async Task A_failed_refresh_is_reported_and_the_next_event_refreshes_again()
    {
        var calls = 0;
        var c = Coalescer(events => ++calls == 1 ? throw new InvalidOperationException("database away") : Task.CompletedTask);
        await c.Post(1);
        Assert.Equal("database away", Assert.Single(failures).Message);
        await c.Post(2);
        Assert.Equal(2, calls);
        Assert.Single(failures);
    }

    [Fact]
    public async Task After_stop_nothing_refreshes()
    {
        var c = Coalescer();
        var first = c.Post(1);
        c.Post(2);
        c.Stop();
        refreshes[0].Done.SetResult();
        await first;
        c.Post(3);
        Assert.Single(refreshes);
    }
}
