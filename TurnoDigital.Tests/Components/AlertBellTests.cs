using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Supervision.Alerts;
using TurnoDigital.Web.Components.Layout;

namespace TurnoDigital.Tests.Components;

/// <summary>The header bell: the owner's unacknowledged alerts on the badge, the latest in the menu, updated live when the job opens one.</summary>
public class AlertBellTests : ComponentTestBase
{
    async Task<string> SignInAsync(string email, string role)
    {
        await using var db = H.Db();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var auth = AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        return user.Id;
    }

    async Task SpikeAsync(TallyKind kind, int count)
    {
        var tallies = H.Services.GetRequiredService<HealthTallies>();
        for (var i = 0; i < count; i++) await tallies.AddAsync(kind);
        await H.Services.GetRequiredService<AlertMonitor>().CheckAsync();
    }

    [Fact]
    public async Task The_owner_sees_the_unread_count_and_it_follows_new_and_acknowledged_alerts_live()
    {
        var userId = await SignInAsync("supervisor@demo.turno", Roles.Supervisor);
        var alerts = H.Services.GetRequiredService<AlertService>();
        await alerts.SetOwnerAsync(null, AlertTarget.WhatsApp, userId);
        await alerts.SetOwnerAsync(null, AlertTarget.Api, userId);
        await SpikeAsync(TallyKind.ForgedWebhook, 20);
        Services.AddSingleton(alerts);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var popovers = Render<MudPopoverProvider>();
        var cut = Render<AlertBell>();
        await cut.WaitForAssertionAsync(() => Assert.Equal("1", cut.Find(".mud-badge").TextContent.Trim()));

        await SpikeAsync(TallyKind.ApiError, 50); // the job opens a second alert: the badge moves without a reload
        await cut.WaitForAssertionAsync(() => Assert.Equal("2", cut.Find(".mud-badge").TextContent.Trim()));

        cut.Find("button").Click();
        await popovers.WaitForAssertionAsync(() => Assert.Equal(2, popovers.FindAll("[data-testid=alert-bell-item]").Count));
        Assert.Contains("Errores de la API", popovers.Markup);
        Assert.Contains("Webhook de WhatsApp", popovers.Markup);
        Assert.NotNull(popovers.Find("[href='/alertas']"));

        await using (var db = H.Db())
            foreach (var id in await db.Alerts.Select(a => a.Id).ToListAsync()) await alerts.AcknowledgeAsync(id, userId, admin: false);
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("span.mud-badge")));
    }

    [Fact]
    public async Task Someone_who_owns_nothing_sees_no_count()
    {
        await SignInAsync("agente1@demo.turno", Roles.Agent);
        await SpikeAsync(TallyKind.ForgedWebhook, 20); // unowned: the administrators' bell, not an agent's
        Services.AddSingleton(H.Services.GetRequiredService<AlertService>());
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<AlertBell>();
        await cut.WaitForAssertionAsync(() => Assert.NotNull(cut.Find("[data-testid=alert-bell]")));
        Assert.Empty(cut.FindAll("span.mud-badge"));
    }
}
