using Bunit;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Devices;
using TurnoDigital.Web.Components.Pages.Kiosk;

namespace TurnoDigital.Tests.Components;

public class KioskTests : ComponentTestBase
{
    async Task<IRenderedComponent<Kiosk>> RenderKioskAsync()
    {
        await SignInAsDeviceAsync(DeviceKind.Kiosk);
        var cut = Render<Kiosk>();
        cut.WaitForElement("[data-service]");
        return cut;
    }

    [Fact]
    public async Task Shows_only_walk_in_services_with_their_line()
    {
        await H.IssueAsync("Caja");
        var cut = await RenderKioskAsync();
        var names = cut.FindAll("[data-service] .kiosk-choice__name").Select(e => e.TextContent).ToList();
        Assert.Equal(["Caja", "Información", "Trámites y certificados"], names);
        Assert.Contains("1 persona en fila", cut.Find("[data-service] .kiosk-choice__meta").TextContent);
    }

    [Fact]
    public async Task Service_then_priority_then_whatsapp_then_the_ticket()
    {
        var cut = await RenderKioskAsync();
        cut.FindAll("[data-service]")[0].Click();
        Assert.Contains("atención preferencial", cut.Find("h1").TextContent);
        cut.Find("[data-priority=OlderAdult]").Click();
        Assert.Contains("WhatsApp", cut.Find("h1").TextContent);
        foreach (var d in "3001234567") cut.Find($".kiosk-key[aria-label=\"{d}\"]").Click();
        Assert.Equal("300 123 4567", cut.Find(".kiosk-phone__value").TextContent);
        cut.Find("[data-action=with-phone]").Click();
        Assert.Contains("autorización", cut.Find(".kiosk-error").TextContent); // consent not ticked
        cut.Find(".kiosk-consent input").Change(true);
        cut.Find("[data-action=with-phone]").Click();

        cut.WaitForAssertion(() => Assert.Equal("A-001", cut.Find(".ticket__number").TextContent));
        Assert.Equal("0", cut.Find("[data-testid=people-ahead]").TextContent);
        Assert.StartsWith("data:image/png;base64,", cut.Find(".ticket__qr").GetAttribute("src"));
        await using var db = H.Db();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal(TurnoDigital.Core.Queueing.PriorityClass.Preferential, ticket.Priority);
        Assert.NotNull(ticket.CustomerId);
    }

    [Fact]
    public async Task Idle_thirty_seconds_goes_back_to_the_start_in_Spanish()
    {
        var cut = await RenderKioskAsync();
        cut.Find(".kiosk-lang").Click();
        cut.FindAll("[data-service]")[0].Click();
        Assert.Contains("priority", cut.Find("h1").TextContent);
        H.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Contains("priority", cut.Find("h1").TextContent);
        H.Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("¿Qué necesita hoy?", cut.Find("h1").TextContent));
    }

    [Fact]
    public async Task Language_switch_shows_english()
    {
        var cut = await RenderKioskAsync();
        cut.Find(".kiosk-lang").Click();
        Assert.Equal("What do you need today?", cut.Find("h1").TextContent);
        Assert.Contains("Cashier", cut.Markup);
    }
}
