using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>
/// /t on a phone while the line moves: each call before the ticket arrives as two numbers ("pos") that live.js writes into
/// the card on screen, without a reload and without replacing the card; then the holder cancels.
/// </summary>
[Collection(BrowserCollection.Name)]
public class TicketPositionLiveTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task A_move_up_the_line_shows_on_the_page_live_and_the_ticket_can_then_be_cancelled()
    {
        int branchId, cajaId, counterId;
        await using (var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var caja = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Caja");
            (branchId, cajaId) = (caja.BranchId, caja.Id);
            counterId = await db.Counters.Where(c => c.Name == "Ventanilla 1").Select(c => c.Id).SingleAsync();
        }
        var queue = server.Factory.Services.GetRequiredService<QueueService>();
        for (var i = 0; i < 2; i++) await queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));
        // Taken from the web (cash desk: in line at once), so its holder may cancel it.
        var ticket = await queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, cajaId, Channel.Web, Guid.NewGuid(), "3001234567", false, true));

        var phone = await server.NewPageAsync(390, 844);
        // Records the live channel's events as the page receives them (before live.js handles each).
        await phone.AddInitScriptAsync("""
            window.__events = [];
            const Native = window.EventSource;
            window.EventSource = class extends Native {
                constructor(...args) { super(...args); for (const k of ['status', 'pos', 'end']) super.addEventListener(k, () => window.__events.push(k)); }
            };
            """);
        await phone.GotoAsync($"/t/{ticket.Code}");
        await LiveAsync(phone);
        await phone.WaitForFunctionAsync("() => window.__events.includes('status')"); // the channel's first card is on screen
        await Expect(phone.Locator("[data-testid=people-ahead]")).ToHaveTextAsync("2");
        await phone.EvaluateAsync("() => window.__card = document.querySelector('section.status')");

        async Task CallAndServeAsync()
        {
            var called = await queue.CallNextAsync(counterId, "agente-1") ?? throw new InvalidOperationException("nobody waiting");
            var serving = await queue.StartAsync(called.Id, called.Version, "agente-1");
            await queue.CompleteAsync(serving.Id, serving.Version, "agente-1", null);
        }

        await CallAndServeAsync();
        await Expect(phone.Locator("[data-testid=people-ahead]")).ToHaveTextAsync("1");
        await Expect(phone.Locator("[data-testid=estimated-wait]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^~\\d+ min$"));
        // A "pos" event moved it: the card on screen was written into, not replaced (its live region and the cancel form stay).
        Assert.Contains("pos", await phone.EvaluateAsync<string[]>("() => window.__events"));
        Assert.Single(await phone.EvaluateAsync<string[]>("() => window.__events.filter(e => e === 'status')"));
        Assert.True(await phone.EvaluateAsync<bool>("() => document.querySelector('section.status') === window.__card"));
        Assert.Equal("polite", await phone.Locator("section.status").GetAttributeAsync("aria-live"));

        // "Cancelar turno" asks first; meanwhile the line moves on and the page follows it, the question still open.
        await phone.ClickAsync("[data-action=cancel-ticket]");
        await Expect(phone.Locator("[role=alertdialog]")).ToBeVisibleAsync();
        await LiveAsync(phone);
        await CallAndServeAsync();
        await Expect(phone.Locator("[data-testid=people-ahead]")).ToHaveTextAsync("0");
        await Expect(phone.Locator("[data-testid=estimated-wait]")).ToHaveTextAsync("Muy pronto");
        await Expect(phone.Locator("[role=alertdialog]")).ToBeVisibleAsync();

        await phone.ClickAsync("[data-action=confirm-cancel]");
        await Expect(phone.Locator("[data-testid=status]")).ToHaveTextAsync("Turno cancelado");
        Assert.Equal(TicketStatus.Cancelled, (await server.Factory.Services.GetRequiredService<QueueQueries>().GetStatusAsync(ticket.Code))!.Status);
    }
}
