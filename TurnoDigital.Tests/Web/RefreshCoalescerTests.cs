using System.Threading.Channels;
using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.Web;

/// <summary>The live screens' refresh rule: at once when idle, events during a refresh merged into one next refresh, none lost.</summary>
public class RefreshCoalescerTests
{
    // Each refresh waits until the test completes it: the test decides how long a refresh "runs".
    readonly Channel<(IReadOnlyList<int> Events, TaskCompletionSource Done)> started = Channel.CreateUnbounded<(IReadOnlyList<int>, TaskCompletionSource)>();
    readonly List<Exception> failures = [];

    RefreshCoalescer<int> Coalescer(Func<IReadOnlyList<int>, Task>? refresh = null) => new(refresh ?? (events =>
    {
        var done = new TaskCompletionSource();
        started.Writer.TryWrite((events, done));
        return done.Task;
    }), failures.Add);

    (IReadOnlyList<int> Events, TaskCompletionSource Done) Running()
    {
        Assert.True(started.Reader.TryRead(out var refresh), "a refresh has started");
        return refresh;
    }

    async Task<(IReadOnlyList<int> Events, TaskCompletionSource Done)> NextAsync() => await started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public void The_first_event_refreshes_at_once()
    {
        Coalescer().Post(1);
        Assert.Equal([1], Running().Events); // started within Post: no delay
    }

    [Fact]
    public async Task Events_during_a_refresh_are_merged_into_one_next_refresh_and_none_is_lost()
    {
        var c = Coalescer();
        var first = c.Post(1);
        var one = Running();
        var second = c.Post(2);
        var third = c.Post(3);
        Assert.False(started.Reader.TryRead(out _)); // nothing starts while one runs
        Assert.False(second.IsCompleted);

        one.Done.SetResult();
        await first;
        var two = await NextAsync();
        Assert.Equal([2, 3], two.Events);
        Assert.False(third.IsCompleted); // done only once the refresh that includes it has run

        _ = c.Post(4); // during the second refresh
        two.Done.SetResult();
        await Task.WhenAll(second, third);
        var four = await NextAsync();
        Assert.Equal([4], four.Events);
        four.Done.SetResult();
        Assert.False(started.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_request_without_an_event_rides_along_with_the_events()
    {
        var c = Coalescer();
        var load = c.RefreshAsync();
        var first = Running();
        Assert.Empty(first.Events);
        _ = c.Post(7);
        var again = c.RefreshAsync();
        first.Done.SetResult();
        await load;
        var second = await NextAsync();
        Assert.Equal([7], second.Events);
        second.Done.SetResult();
        await again;
        Assert.False(started.Reader.TryRead(out _));
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
        var one = Running();
        var second = c.Post(2);
        c.Stop();
        one.Done.SetResult();
        await Task.WhenAll(first, second);
        _ = c.Post(3);
        Assert.False(started.Reader.TryRead(out _));
    }
}
