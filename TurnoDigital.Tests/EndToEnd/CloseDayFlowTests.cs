using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>A supervisor closes the day from the panel: the dialog lists who is still in line and asks the reason.</summary>
[Collection(BrowserCollection.Name)]
public class CloseDayFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task A_supervisor_closes_the_day_from_the_panel()
    {
        var services = server.Factory.Services;
        int branchId, cajaId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            (branchId, cajaId) = await db.Services.Where(s => s.Name == "Caja").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
        var queue = services.GetRequiredService<QueueService>();
        var first = await queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));
        var second = await queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));

        var page = await server.NewPageAsync(1440, 900);
        await page.GotoAsync("/supervisor");
        await page.FillAsync("#email", "supervisor@demo.turno");
        await page.FillAsync("#password", TurnoWebFactory.Password);
        await page.ClickAsync("button[type=submit]");
        await InteractiveAsync(page);
        await page.ClickAsync("[data-action=close-day]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog.Locator($"[data-ticket='{first.Number}']")).ToBeVisibleAsync();
        await Expect(dialog.Locator($"[data-ticket='{second.Number}']")).ToBeVisibleAsync();
        await dialog.Locator("textarea").First.FillAsync("Corte de energía");
        await Shot(page, "supervisor-close-day.png");
        await dialog.Locator("[data-action=confirm-close-day]").ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Día cerrado: 2 turnos vencidos");

        await using var check = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        Assert.Equal("Corte de energía", (await check.DayClosures.SingleAsync(c => c.BranchId == branchId && !c.AtMidnight)).Reason);
    }
}
