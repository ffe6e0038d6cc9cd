using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Components.Pages.Display;

namespace TurnoDigital.Tests.Components;

/// <summary>
/// Database work per queue event does not grow with the open screens: the real pages, one shared view cache. The public phone
/// pages (/t, /fila) follow it through their live channel instead (PublicLiveChannelTests).
/// </summary>
public class LiveQueryCountTests(Xunit.Abstractions.ITestOutputHelper output) : ComponentTestBase
{
    readonly CommandCounter commands = new();

    protected override void ConfigureCore(IServiceCollection services) => commands.AddTo(services);

    sealed record Screen(Func<int> Renders, Action<Func<bool>> WaitFor);

    static Screen Of<T>(IRenderedComponent<T> cut) where T : IComponent => new(() => cut.RenderCount, done => cut.WaitForState(done));

    [Fact]
    public async Task One_queue_event_costs_21_boards_the_queries_of_one()
    {
        await SignInAsDeviceAsync(DeviceKind.Display);
        var tickets = new List<TicketStatusView>();
        for (var i = 0; i < 50; i++) tickets.Add(await H.IssueAsync(i % 2 == 0 ? "Caja" : "Información"));
        var branchId = tickets[0].BranchId;

        var board = Render<Display>();
        board.WaitForAssertion(() => Assert.Equal("25", board.Find("[data-service] .board__waiting", "Caja")));
        var alone = await QueriesForOneEventAsync(branchId, [Of(board)]);
        Assert.True(alone > 0, "the board reads the branch after an event");

        var screens = new List<Screen> { Of(board) };
        for (var i = 0; i < 20; i++)
        {
            var other = Render<Display>();
            other.WaitForAssertion(() => Assert.Equal("25", other.Find("[data-service] .board__waiting", "Caja")));
            screens.Add(Of(other));
        }
        var all = await QueriesForOneEventAsync(branchId, screens);
        output.WriteLine($"SQL commands after one queue event: board alone {alone}, 21 boards {all}");
        Assert.Equal(alone, all);

        // And they are live: a call moves the line on every board.
        await H.Queue.CallNextAsync((await H.CounterAsync("Ventanilla 1")).Id, "agent-1");
        board.WaitForAssertion(() => Assert.Equal(49, int.Parse(board.Find("[data-service] .board__waiting", "Caja"))
            + int.Parse(board.Find("[data-service] .board__waiting", "Información"))));
    }

    /// <summary>SQL commands from publishing one event until every screen has rendered after it and the branch's views are read.</summary>
    async Task<int> QueriesForOneEventAsync(int branchId, IReadOnlyList<Screen> screens)
    {
        var before = screens.Select(s => s.Renders()).ToList();
        commands.Reset();
        H.Notifier.Publish(new QueueEvent(branchId, QueueEventKind.TicketIssued));
        for (var i = 0; i < screens.Count; i++)
        {
            var (screen, rendered) = (screens[i], before[i]);
            screen.WaitFor(() => screen.Renders() > rendered);
        }
        // A render left over from a page's start can pass for the event's: the views of the event's generation are
        // then still being read (or not yet asked for). This shares that read, so it is counted in full.
        await Services.GetRequiredService<QueueViewCache>().GetAsync(branchId);
        return commands.Count;
    }
}
