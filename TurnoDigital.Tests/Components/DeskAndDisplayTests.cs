using Bunit;
using MudBlazor;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Components.Pages.Desk.Components;
using TurnoDigital.Web.Components.Pages.Display;

namespace TurnoDigital.Tests.Components;

public class DeskAndDisplayTests : ComponentTestBase
{
    static CurrentTicketView Ticket(TicketStatus status, int calls) => new(1, 1, "A-007", "Caja", 1, status, PriorityClass.Ordinary, null, calls,
        new DateTime(2026, 11, 25, 10, 0, 0), new DateTime(2026, 11, 25, 10, 5, 0), null, false);

    bool popovers;

    IRenderedComponent<CurrentTicketPanel> Panel(CurrentTicketView? ticket, bool paused = false, bool busy = false)
    {
        if (!popovers) { Render<MudPopoverProvider>(); popovers = true; } // MudTooltip needs one provider
        return Render<CurrentTicketPanel>(p => p.Add(x => x.Ticket, ticket).Add(x => x.Paused, paused).Add(x => x.Busy, busy));
    }

    static bool Disabled(AngleSharp.Dom.IElement e) => e.HasAttribute("disabled");

    [Fact]
    public void Without_a_ticket_the_big_button_calls_next_unless_paused()
    {
        Assert.False(Disabled(Panel(null).Find("[data-action=call-next]")));
        Assert.True(Disabled(Panel(null, paused: true).Find("[data-action=call-next]")));
    }

    [Fact]
    public void A_called_ticket_can_start_recall_or_transfer_and_no_show_only_after_a_recall()
    {
        var first = Panel(Ticket(TicketStatus.Called, calls: 1));
        Assert.False(Disabled(first.Find("[data-action=start]")));
        Assert.False(Disabled(first.Find("[data-action=recall]")));
        Assert.True(Disabled(first.Find("[data-action=no-show]")));
        Assert.Empty(first.FindAll("[data-action=complete]"));

        Assert.False(Disabled(Panel(Ticket(TicketStatus.Called, calls: 2)).Find("[data-action=no-show]")));
    }

    [Fact]
    public void A_ticket_in_service_can_complete_or_transfer_and_busy_disables_all()
    {
        var serving = Panel(Ticket(TicketStatus.Serving, calls: 1));
        Assert.False(Disabled(serving.Find("[data-action=complete]")));
        Assert.Empty(serving.FindAll("[data-action=recall]"));
        var busy = Panel(Ticket(TicketStatus.Serving, calls: 1), busy: true);
        Assert.True(Disabled(busy.Find("[data-action=complete]")));
        Assert.True(Disabled(busy.Find("[data-action=transfer]")));
    }

    [Fact]
    public async Task Display_shows_the_current_call_recent_calls_and_lines_and_announces_live()
    {
        var v1 = await H.CounterAsync("Ventanilla 1");
        var first = await H.IssueAsync("Caja");
        await H.IssueAsync("Información");
        await H.IssueAsync("Información");
        var t = (await H.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        await H.Queue.CompleteAsync((await H.Queue.StartAsync(t.Id, t.Version, "agent-1")).Id, t.Version + 1, "agent-1", null);

        await SignInAsDeviceAsync(DeviceKind.Display);
        var cut = Render<Display>();
        cut.WaitForAssertion(() => Assert.Equal(first.Number, cut.Find(".board__call--now .board__number").TextContent));
        Assert.Equal("Ventanilla 1", cut.Find(".board__call--now .board__counter").TextContent);
        Assert.Equal("2", cut.Find("[data-service] .board__waiting", "Información"));

        // A new call arrives live: shown large, the previous one moves to the list, and it is announced.
        var next = (await H.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        cut.WaitForAssertion(() => Assert.Equal(next.Number, cut.Find(".board__call--now .board__number").TextContent));
        Assert.Contains(first.Number, cut.Find(".board__recent").TextContent);
        cut.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "turnoBoard.announce"
            && (string)i.Arguments[0]! == "Turno B uno, ventanilla uno"));
        Assert.DoesNotContain("+57", cut.Markup);
    }
}

static class BoardExtensions
{
    /// <summary>The waiting count shown for the service line whose name is given.</summary>
    public static string Find(this IRenderedComponent<Display> cut, string selector, string service) =>
        cut.FindAll("[data-service]").Single(li => li.TextContent.Contains(service)).QuerySelector(".board__waiting")!.TextContent;
}
