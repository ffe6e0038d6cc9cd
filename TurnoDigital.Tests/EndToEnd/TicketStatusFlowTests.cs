using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>A person follows their ticket on the phone (no circuit: a Server-Sent Events channel) while the agent works; the kiosk in landscape.</summary>
[Collection(BrowserCollection.Name)]
public class TicketStatusFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Status_page_follows_a_ticket_live_and_kiosk_works_in_landscape()
    {
        var kiosk = await PairedKioskAsync(server, 1920, 1080);
        var number = await TakeTicketAsync(kiosk, "-1920x1080");

        string code;
        await using (var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            code = await db.Tickets.Where(t => t.Number == number).Select(t => t.Code).SingleAsync();
        var phone = await server.NewPageAsync(390, 844);
        // No circuit on the phone: no Blazor WebSocket nor any request to Blazor's hub, while the page follows the ticket live.
        var blazor = new System.Collections.Concurrent.ConcurrentBag<string>();
        phone.WebSocket += (_, ws) => blazor.Add(ws.Url);
        phone.Request += (_, r) => { if (r.Url.Contains("_blazor")) blazor.Add(r.Url); };
        await phone.GotoAsync($"/t/{code}");
        await LiveAsync(phone);
        await Expect(phone.Locator("[data-testid=status]")).ToHaveTextAsync("En espera");
        await Expect(phone.Locator("[data-testid=people-ahead]")).ToHaveTextAsync("0");
        await Shot(phone, "status-waiting-phone.png");

        var desk = await DeskAsync(server, "agente2@demo.turno", "Ventanilla 2");
        await desk.ClickAsync("[data-action=call-next]");
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync(number);
        await Expect(phone.Locator("[data-testid=status]")).ToContainTextAsync("Diríjase a Ventanilla 2");
        await Shot(phone, "status-called-phone.png");
        Assert.Empty(blazor);
        Assert.Equal("no", await phone.Locator(".public-page").GetAttributeAsync("data-interactive"));

        // A real double tap on "take ticket" issues one ticket.
        await kiosk.ClickAsync("text=Terminar");
        await kiosk.Locator("[data-service]", new() { HasText = "Información" }).ClickAsync();
        await kiosk.ClickAsync("[data-priority=none]");
        await kiosk.DblClickAsync("[data-action=skip-phone]");
        await Expect(kiosk.Locator(".ticket__number")).ToHaveTextAsync("B-001");
        await using var check = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await check.Tickets.CountAsync(t => t.Number.StartsWith("B-")));
    }
}
