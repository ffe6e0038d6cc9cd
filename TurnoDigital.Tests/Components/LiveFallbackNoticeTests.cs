using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Web.Components.Shared;
using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.Components;

public class LiveFallbackNoticeTests : BunitContext
{
    [Fact]
    public void Says_nothing_is_lost_while_events_between_nodes_are_down_and_goes_away_when_they_are_back()
    {
        Services.AddLocalization();
        var status = new LiveChannelStatus();
        Services.AddSingleton(status);
        var cut = Render<LiveFallbackNotice>();
        Assert.Empty(cut.FindAll("[data-testid=live-fallback]"));

        status.Set(true);
        cut.WaitForAssertion(() => Assert.Contains("No se pierde nada", cut.Find("[data-testid=live-fallback]").TextContent));
        Assert.Equal("status", cut.Find("[data-testid=live-fallback]").GetAttribute("role"));

        status.Set(false);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=live-fallback]")));
    }
}
