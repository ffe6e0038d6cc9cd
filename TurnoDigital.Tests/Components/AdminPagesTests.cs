using AngleSharp.Dom;
using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Components.Pages.Admin;

namespace TurnoDigital.Tests.Components;

public class AdminPagesTests : ComponentTestBase
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
    public async Task Audit_page_shows_details_as_text_with_the_actor_name()
    {
        var adminId = await SignInAsAdminAsync();
        await using (var db = H.Db())
        {
            // Raw markup straight in the column (the helper's JSON would already escape it): the page must still show text.
            db.AuditEntries.Add(new AuditEntry { At = H.Clock.GetUtcNow().UtcDateTime, ActorId = adminId, Action = "test.markup", Entity = "Thing", EntityId = "42",
                Details = "<script>alert(1)</script><b>negrita</b>" });
            await db.SaveChangesAsync();
        }
        Services.AddSingleton(H.Services.GetRequiredService<AuditQueries>());
        var cut = Render<Audit>();
        await cut.WaitForAssertionAsync(() => Assert.Contains("test.markup", cut.Markup), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain("<script>", cut.Markup);
        Assert.DoesNotContain("<b>negrita</b>", cut.Markup);
        Assert.Contains("&lt;b&gt;negrita&lt;/b&gt;", cut.Markup);
        Assert.Contains("admin@demo.turno", cut.Markup);
        Assert.Contains("2026-11-25 10:00", cut.Markup); // 15:00 UTC shown in Bogotá
        cut.WaitForAssertion(() => Assert.Matches(@"\b1-\d+ de \d+", cut.Find(".mud-table-pagination").TextContent)); // the pager's own placeholders, no braces left
    }

    [Fact]
    public async Task Resetting_a_password_shows_it_once_and_audits_the_signed_in_admin()
    {
        var adminId = await SignInAsAdminAsync();
        var staff = H.Services.GetRequiredService<StaffAdmin>();
        Services.AddSingleton(staff);
        Services.AddScoped(sp => AlwaysYes.Create(new MudBlazor.DialogService()));
        var cut = Render<Users>();
        await cut.WaitForAssertionAsync(() => Assert.Contains("agente1@demo.turno", cut.Markup), TimeSpan.FromSeconds(15));
        var row = cut.FindAll("tr").First(r => r.TextContent.Contains("agente1@demo.turno"));
        await row.QuerySelectorAll("button").First(b => b.TextContent.Contains("Nueva contraseña")).ClickAsync(new());

        var shown = (await cut.WaitForElementAsync("[data-testid=new-password]", TimeSpan.FromSeconds(15))).TextContent;
        Assert.True(shown.Length >= 10);
        await using var db = H.Db();
        var agent = await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno");
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.UserPasswordReset);
        Assert.Equal((adminId, agent.Id), (entry.ActorId, entry.EntityId));
        Assert.DoesNotContain(shown, entry.Details ?? "");
    }

    [Fact]
    public async Task The_users_screen_grants_every_branch_with_its_own_switch_and_shows_who_has_none()
    {
        await SignInAsAdminAsync();
        var staff = H.Services.GetRequiredService<StaffAdmin>();
        Services.AddSingleton(staff);
        var id = await staff.CreateAsync("sinsede@demo.turno", "Sin Sede", [TurnoDigital.Core.Identity.Roles.Agent], "Valida2026x", BranchGrant.None, "admin-1");
        var cut = Render<Users>();
        await cut.WaitForAssertionAsync(() => Assert.Contains("sinsede@demo.turno", cut.Markup), TimeSpan.FromSeconds(15));
        IElement Row() => cut.FindAll("tr").First(r => r.TextContent.Contains("sinsede@demo.turno"));
        Assert.Contains("Ninguna (sin acceso a datos de sedes)", Row().TextContent);

        await Row().QuerySelectorAll("button").First(b => b.TextContent.Contains("Editar")).ClickAsync(new());
        cut.Find("[data-testid=user-all-branches] input, input[data-testid=user-all-branches]").Change(true);
        await cut.Find("[data-action=save-user]").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains("Todas", Row().TextContent), TimeSpan.FromSeconds(15));
        Assert.True((await staff.ListAsync()).Single(u => u.Id == id).AllBranches);
    }

    [Fact]
    public async Task Switching_a_category_off_warns_of_the_legal_duty_and_saves_it_audited()
    {
        var adminId = await SignInAsAdminAsync();
        var cut = Render<TurnoDigital.Web.Components.Pages.Admin.Settings>();
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("input[data-reason]").Count));
        Assert.Contains("Ley 1979 de 2019", cut.Find("input[data-reason=Veteran]").Closest("label")!.TextContent);
        Assert.All(cut.FindAll("input[data-reason]"), i => Assert.True(i.HasAttribute("checked")));
        Assert.Empty(cut.FindAll("[data-testid=preferential-warning]"));

        cut.Find("input[data-reason=Pregnancy]").Change(false);
        Assert.Contains("Ley 1171 de 2007", cut.WaitForElement("[data-testid=preferential-warning]").TextContent);
        await cut.Find("[data-action=save-settings]").ClickAsync(new());

        var admin = H.Services.GetRequiredService<OrganizationAdmin>();
        await cut.WaitForAssertionAsync(async () => Assert.Equal(
            [PreferentialReason.OlderAdult, PreferentialReason.Disability, PreferentialReason.ChildInArms, PreferentialReason.Veteran], (await admin.SettingsAsync()).EnabledReasons()));
        await using var db = H.Db();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SettingsUpdated);
        Assert.Equal(adminId, entry.ActorId);
        Assert.Contains("\"Pregnancy\"", entry.Details);
    }

    [Fact]
    public async Task The_page_shows_the_saved_switches_and_says_when_none_is_on()
    {
        await SignInAsAdminAsync();
        await H.Services.GetRequiredService<OrganizationAdmin>().UpdateSettingsAsync(60, 730, "admin-1", []);
        var cut = Render<TurnoDigital.Web.Components.Pages.Admin.Settings>();
        cut.WaitForAssertion(() => Assert.Contains("todos los turnos son generales", cut.Markup));
        Assert.All(cut.FindAll("input[data-reason]"), i => Assert.False(i.HasAttribute("checked")));
        Assert.NotNull(cut.Find("[data-testid=preferential-warning]"));
    }

    /// <summary>Confirms every message box, as if the admin clicked «yes»; everything else goes to MudBlazor's service.</summary>
    public class AlwaysYes : System.Reflection.DispatchProxy
    {
        public static MudBlazor.IDialogService Create(MudBlazor.IDialogService inner)
        {
            var proxy = Create<MudBlazor.IDialogService, AlwaysYes>();
            ((AlwaysYes)(object)proxy).inner = inner;
            return proxy;
        }

        MudBlazor.IDialogService inner = default!;

        protected override object? Invoke(System.Reflection.MethodInfo? method, object?[]? args) =>
            method!.Name == nameof(MudBlazor.IDialogService.ShowMessageBoxAsync) ? Task.FromResult<bool?>(true) : method.Invoke(inner, args);
    }
}
