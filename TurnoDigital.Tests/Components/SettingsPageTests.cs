using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Components.Pages.Admin;

namespace TurnoDigital.Tests.Components;

public class SettingsPageTests : ComponentTestBase
{
    async Task<string> SignInAsAdminAsync()
    {
        await using var db = H.Db();
        var admin = await db.Users.SingleAsync(u => u.Email == "admin@demo.turno");
        var auth = AddAuthorization();
        auth.SetAuthorized(admin.Email!);
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
        return admin.Id;
    }

    [Fact]
    public async Task Switching_a_category_off_warns_of_the_legal_duty_and_saves_it_audited()
    {
        var adminId = await SignInAsAdminAsync();
        var cut = Render<Settings>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("input[data-reason]").Count));
        Assert.All(cut.FindAll("input[data-reason]"), i => Assert.True(i.HasAttribute("checked")));
        Assert.Empty(cut.FindAll("[data-testid=preferential-warning]"));

        cut.Find("input[data-reason=Pregnancy]").Change(false);
        Assert.Contains("Ley 1171 de 2007", cut.Find("[data-testid=preferential-warning]").TextContent);
        await cut.Find("[data-action=save-settings]").ClickAsync(new());

        var admin = H.Services.GetRequiredService<OrganizationAdmin>();
        await cut.WaitForAssertionAsync(async () => Assert.Equal(
            [PreferentialReason.OlderAdult, PreferentialReason.Disability, PreferentialReason.ChildInArms], (await admin.SettingsAsync()).EnabledReasons()));
        await using var db = H.Db();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "settings.updated");
        Assert.Equal(adminId, entry.ActorId);
        Assert.Contains("\"Pregnancy\"", entry.Details);
    }

    [Fact]
    public async Task The_page_shows_the_saved_switches_and_says_when_none_is_on()
    {
        await SignInAsAdminAsync();
        await H.Services.GetRequiredService<OrganizationAdmin>().UpdateSettingsAsync(60, 730, "admin-1", []);
        var cut = Render<Settings>();
        cut.WaitForAssertion(() => Assert.Contains("todos los turnos son generales", cut.Markup));
        Assert.All(cut.FindAll("input[data-reason]"), i => Assert.False(i.HasAttribute("checked")));
        Assert.NotNull(cut.Find("[data-testid=preferential-warning]"));
    }
}
