using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Web.Components.Pages.Supervisor;

namespace TurnoDigital.Tests.Components;

/// <summary>The supervisor's "Cerrar el día": the panel's button, the dialog's list of who is still in line, the required reason.</summary>
public class CloseDayDialogTests : ComponentTestBase
{
    async Task<string> SignInAsSupervisorAsync()
    {
        Services.AddSingleton(H.Services.GetRequiredService<PanelQueries>());
        await using var db = H.Db();
        var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
        var auth = AddAuthorization();
        auth.SetAuthorized(supervisor.Email!);
        auth.SetRoles(Roles.Supervisor);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, supervisor.Id));
        return supervisor.Id;
    }

    [Fact]
    public async Task The_panel_closes_the_day_after_the_dialog_lists_who_is_in_line_and_a_reason_is_given()
    {
        var supervisor = await SignInAsSupervisorAsync();
        var waiting = await H.IssueAsync("Caja");
        var called = await H.IssueAsync("Información");
        await H.Queue.CallNextAsync((await H.CounterAsync("Ventanilla 3")).Id, "agent-3");
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var panel = Render<SupervisorPanel>();

        // The panel's handler waits for the dialog's result: the click completes when the dialog closes.
        panel.WaitForElement("[data-action=close-day]");
        var opened = Click(panel, "[data-action=close-day]");
        dialogs.WaitForElement("[data-testid=still-in-line]");
        Assert.Contains("Cerrar el día en Sede Centro", dialogs.Markup);
        var rows = dialogs.FindAll("[data-testid=still-in-line] tbody tr");
        Assert.Equal([waiting.Number, called.Number], rows.Select(r => r.GetAttribute("data-ticket")).ToList());
        Assert.Contains("En espera", rows[0].TextContent);
        Assert.Contains("Vence (abandono)", rows[0].TextContent);
        Assert.Contains("Llamado", rows[1].TextContent);
        Assert.Contains("Información", rows[1].TextContent);

        // No reason: the dialog says so and nothing is closed.
        await Click(dialogs, "[data-action=confirm-close-day]");
        dialogs.WaitForAssertion(() => Assert.Contains("Escriba el motivo del cierre.", dialogs.Markup));
        await using (var db = H.Db())
            Assert.False(await db.DayClosures.AnyAsync());

        await dialogs.InvokeAsync(() => dialogs.Find(".mud-dialog textarea").Change("Cierre por lluvia"));
        await Click(dialogs, "[data-action=confirm-close-day]");
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-action=confirm-close-day]")));
        await opened;
        snackbars.WaitForAssertion(() => Assert.Contains("Día cerrado: 2 turnos vencidos", snackbars.Markup));
        await using var check = H.Db();
        var closure = await check.DayClosures.SingleAsync();
        Assert.Equal((supervisor, "Cierre por lluvia"), (closure.ClosedById, closure.Reason));
        Assert.Equal(TicketStatus.Expired, (await H.TicketAsync(waiting.Code)).Status);

        // Opened again, it says the day is closed and offers no second close.
        _ = Click(panel, "[data-action=close-day]");
        dialogs.WaitForElement("[data-testid=day-already-closed]");
        Assert.Empty(dialogs.FindAll("[data-action=confirm-close-day]"));
    }

    /// <summary>Finds and clicks on the renderer's dispatcher: the live panel re-renders on queue events, which would retire a handler found earlier.</summary>
    static Task Click<T>(IRenderedComponent<T> cut, string selector) where T : Microsoft.AspNetCore.Components.IComponent => cut.InvokeAsync(() => cut.Find(selector).ClickAsync(new()));
}
