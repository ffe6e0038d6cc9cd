using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TurnoDigital.Core.Queueing;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.MultiNode.TwoNodeScreens;
using Xunit.Abstractions;

namespace TurnoDigital.Tests.MultiNode;

/// <summary>Desks and boards in real Chromium through nginx, on two nodes: calls, live events, Redis down, a node killed.</summary>
[Collection(TwoNodeCollection.Name)]
public class TwoNodeScreenTests(TwoNodeBed bed, ITestOutputHelper output) : IAsyncLifetime
{
    const int A = 0, B = 1;

    public Task InitializeAsync() => bed.ResetAsync();
    public Task DisposeAsync() => bed.CloseBrowserContextsAsync();

    [Fact]
    public async Task Desks_on_both_nodes_drain_a_line_concurrently_each_ticket_called_once()
    {
        var caja = await bed.CajaAsync();
        using var api = bed.ApiClient(await bed.AffinityForAsync(A));
        const int tickets = 10;
        for (var i = 0; i < tickets; i++) await api.IssueAsync(caja, $"drain-{i}");
        var desks = await Task.WhenAll(bed.DeskAsync(A, "agente1@demo.turno", "Ventanilla 1"), bed.DeskAsync(B, "agente2@demo.turno", "Ventanilla 2"));

        var called = new ConcurrentBag<(int Desk, string Number)>();
        await Task.WhenAll(desks.Select((desk, d) => Task.Run(async () =>
        {
            while (true)
            {
                await desk.ClickAsync("[data-action=call-next]");
                // Either a ticket to serve, or the line is empty (the desk says nobody is waiting and offers Call next again).
                var next = desk.Locator("[data-action=start]").Or(desk.Locator(".mud-snackbar"));
                await Expect(next.First).ToBeVisibleAsync();
                if (!await desk.Locator("[data-action=start]").IsVisibleAsync()) return;
                called.Add((d, (await desk.Locator("[data-testid=current-number]").InnerTextAsync()).Trim()));
                await FinishAsync(desk);
            }
        }))).WaitAsync(TimeSpan.FromMinutes(4));

        Assert.Equal(tickets, called.Count);
        Assert.Equal(tickets, called.Select(c => c.Number).Distinct().Count());
        Assert.All(new[] { 0, 1 }, d => Assert.Contains(called, c => c.Desk == d)); // both nodes' desks took part
        await using var db = bed.Db();
        Assert.Equal(tickets, await db.Tickets.CountAsync(t => t.Status == TicketStatus.Completed && t.CallCount == 1));
    }

    [Fact]
    public async Task A_call_on_a_desk_served_by_node_a_appears_on_a_board_served_by_node_b()
    {
        var caja = await bed.CajaAsync();
        using var api = bed.ApiClient(await bed.AffinityForAsync(A));
        await api.IssueAsync(caja, "live-1");
        var board = await bed.BoardAsync(B);
        var desk = await bed.DeskAsync(A, "agente1@demo.turno", "Ventanilla 1");

        var watch = Stopwatch.StartNew();
        var number = await CallNextAsync(desk);
        await ShowsAsync(board, number);
        output.WriteLine($"call on node a → board on node b: {watch.ElapsedMilliseconds} ms (includes the desk's own round trip)");
        await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(number);
    }

    [Fact]
    public async Task While_redis_is_down_boards_follow_through_the_refresh_and_live_events_return_with_it()
    {
        var caja = await bed.CajaAsync();
        using var api = bed.ApiClient(await bed.AffinityForAsync(A));
        for (var i = 0; i < 12; i++) await api.IssueAsync(caja, $"redis-{i}");
        var board = await bed.BoardAsync(B);
        var desk = await bed.DeskAsync(A, "agente1@demo.turno", "Ventanilla 1");
        var watch = Stopwatch.StartNew();

        await bed.Redis.StopAsync();
        var outage = Stopwatch.StartNew();
        await Expect(desk.Locator("[data-testid=live-fallback]")).ToBeVisibleAsync(); // the desk says it is on the periodic refresh
        await bed.WaitForHealthAsync(B, "Degraded"); // and so does node b's health
        // Calls on node a for about 20 s of outage: node b hears nothing from node a, only its refresh from the database shows them.
        var during = new List<string>();
        do
        {
            during.Add(await CallNextAsync(desk));
            await ShowsAsync(board, during[^1]);
            await FinishAsync(desk);
        } while (outage.Elapsed < TimeSpan.FromSeconds(20) && during.Count < 11);
        output.WriteLine($"Redis down {outage.Elapsed.TotalSeconds:0} s; the board showed the {during.Count} calls made meanwhile");

        await bed.Redis.StartAsync();
        await Expect(desk.Locator("[data-testid=live-fallback]")).ToBeHiddenAsync(new() { Timeout = 60_000 });
        // Both nodes live again (no refresh timer any more): the next call reaches the board through Redis.
        await bed.WaitForHealthAsync(A, "Healthy");
        await bed.WaitForHealthAsync(B, "Healthy");
        var after = await CallNextAsync(desk);
        await ShowsAsync(board, after);
        output.WriteLine($"whole outage test {watch.Elapsed.TotalSeconds:0} s");
    }

    [Fact]
    public async Task A_node_killed_under_load_loses_nothing_and_its_board_comes_back_on_the_survivor()
    {
        var caja = await bed.CajaAsync();
        using (var first = bed.ApiClient(await bed.AffinityForAsync(B)))
            for (var i = 0; i < 3; i++) await first.IssueAsync(caja, $"kill-seed-{i}");
        var board = await bed.BoardAsync(A); // will lose its node
        await board.EvaluateAsync("() => window.__beforeKill = true");
        var desk = await bed.DeskAsync(B, "agente2@demo.turno", "Ventanilla 2");

        // Steady load: four clients (two per node) issue tickets; a failed request is retried with the same Idempotency-Key.
        using var stop = new CancellationTokenSource();
        var accepted = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentBag<string>();
        var retries = 0;
        var affinities = new[] { await bed.AffinityForAsync(A), await bed.AffinityForAsync(B) };
        var load = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var api = bed.ApiClient(affinities[c % 2]);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"steady-{c}-{i}";
                for (var attempt = 1; ; attempt++)
                {
                    try { accepted[key] = await api.IssueAsync(caja, key); break; }
                    catch (Exception ex) when (attempt < 10)
                    {
                        Interlocked.Increment(ref retries);
                        failures.Add($"{key} #{attempt}: {ex.Message.Split('\n')[0]}");
                        await Task.Delay(500);
                    }
                }
            }
        })).ToArray();
        TimeSpan recovery;
        try
        {
            await WaitAsync(() => accepted.Count >= 20, "steady load started");

            var callsBefore = await CallNextAsync(desk); // a call before the kill: shown on the board on node a
            await ShowsAsync(board, callsBefore);
            await FinishAsync(desk);

            await bed.KillAsync(A);
            var killed = Stopwatch.StartNew();
            // The board's circuit is gone: it reconnects through nginx, node b rejects the unknown circuit, the page reloads onto b.
            await board.WaitForFunctionAsync("() => window.__beforeKill === undefined && !!document.querySelector('[data-interactive=yes] .board')",
                null, new() { Timeout = 60_000, PollingInterval = 200 });
            recovery = killed.Elapsed;
            var afterKill = await CallNextAsync(desk);
            await ShowsAsync(board, afterKill);
            var acceptedAtKill = accepted.Count;
            await WaitAsync(() => accepted.Count >= acceptedAtKill + 10, "load goes on through the survivor");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(2));
        }
        output.WriteLine($"node a killed: board back on node b after {recovery.TotalSeconds:0.0} s; {accepted.Count} tickets accepted, {retries} retries: "
            + string.Join(" | ", failures.Take(5)));

        await using var db = bed.Db();
        var codes = await db.Tickets.AsNoTracking().Select(t => t.Code).ToListAsync();
        Assert.Equal(accepted.Count + 3, codes.Count); // nothing lost, nothing doubled by the retries
        Assert.True(accepted.Values.ToHashSet().IsSubsetOf(codes));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.True(recovery < TimeSpan.FromSeconds(60));
    }

    static async Task WaitAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"Timed out: {what}");
            await Task.Delay(100);
        }
    }
}
