using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core;

public class StaffAdminTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    StaffAdmin Staff => h.Services.GetRequiredService<StaffAdmin>();

    async Task<List<string>> ActionsForAsync(string userId)
    {
        await using var db = h.Db();
        return await db.AuditEntries.Where(e => e.Entity == "User" && e.EntityId == userId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
    }

    async Task<bool> PasswordWorksAsync(string userId, string password)
    {
        await using var scope = h.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, password);
    }

    [Fact]
    public async Task Full_lifecycle_is_audited_without_passwords()
    {
        int branchId;
        await using (var db = h.Db()) branchId = await db.Branches.Select(b => b.Id).FirstAsync();
        const string initial = "Inicial2026x";
        var id = await Staff.CreateAsync(" Nueva@Demo.Turno ", "Nueva Asesora", [Roles.Agent], initial, BranchGrant.Only(branchId), "admin-1");
        var view = (await Staff.ListAsync()).Single(u => u.Id == id);
        Assert.Equal(("nueva@demo.turno", "Nueva Asesora", false), (view.Email, view.DisplayName, view.Disabled));
        Assert.Equal([Roles.Agent], view.Roles);
        Assert.Equal([branchId], view.BranchIds);
        Assert.True(await PasswordWorksAsync(id, initial));

        await Staff.SetRolesAsync(id, [Roles.Agent, Roles.Supervisor], "admin-1");
        await Staff.SetBranchesAsync(id, BranchGrant.None, "admin-1");
        await Staff.SetDisabledAsync(id, true, "admin-1");
        view = (await Staff.ListAsync()).Single(u => u.Id == id);
        Assert.Equal([Roles.Agent, Roles.Supervisor], view.Roles);
        Assert.Empty(view.BranchIds);
        Assert.True(view.Disabled);
        await Staff.SetDisabledAsync(id, false, "admin-1");
        Assert.False((await Staff.ListAsync()).Single(u => u.Id == id).Disabled);

        var generated = await Staff.ResetPasswordAsync(id, "admin-1");
        Assert.True(generated.Length >= 10);
        Assert.True(await PasswordWorksAsync(id, generated));
        Assert.False(await PasswordWorksAsync(id, initial));

        Assert.Equal([AuditActions.UserCreated, AuditActions.UserRolesChanged, AuditActions.UserBranchesSet, AuditActions.UserDisabled, AuditActions.UserEnabled, AuditActions.UserPasswordReset], await ActionsForAsync(id));
        await using var check = h.Db();
        var details = await check.AuditEntries.Where(e => e.EntityId == id).Select(e => e.Details ?? "").ToListAsync();
        Assert.All(details, d => Assert.DoesNotContain(initial, d));
        Assert.All(details, d => Assert.DoesNotContain(generated, d));
    }

    [Fact]
    public async Task Invalid_requests_fail_in_Spanish_and_leave_no_trace()
    {
        var weak = await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("corta@demo.turno", "Corta", [Roles.Agent], "Corta1", BranchGrant.None, "admin-1"));
        Assert.Contains("al menos 10 caracteres", weak.Message);
        var dup = await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("admin@demo.turno", "Otro", [Roles.Agent], "Valida2026x", BranchGrant.None, "admin-1"));
        Assert.Contains("Ya existe un usuario", dup.Message);
        await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("sinrol@demo.turno", "Sin rol", [], "Valida2026x", BranchGrant.None, "admin-1"));
        await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("sede@demo.turno", "Sede", [Roles.Agent], "Valida2026x", BranchGrant.Only(999), "admin-1"));

        var admin = (await Staff.ListAsync()).Single(u => u.Email == "admin@demo.turno");
        await Assert.ThrowsAsync<DomainException>(() => Staff.SetDisabledAsync(admin.Id, true, admin.Id));
        await Assert.ThrowsAsync<DomainException>(() => Staff.SetRolesAsync(admin.Id, [Roles.Agent], admin.Id));

        await using var db = h.Db();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "sede@demo.turno")); // the transaction rolled the user back
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Entity == "User"));
    }

    async Task<string> StampAsync(string userId)
    {
        await using var db = h.Db();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp!).SingleAsync();
    }

    [Fact]
    public async Task Changing_roles_or_branches_renews_the_security_stamp_and_an_unchanged_save_does_not()
    {
        var id = await Staff.CreateAsync("sello@demo.turno", "Sello", [Roles.Agent], "Valida2026x", BranchGrant.None, "admin-1");
        var created = await StampAsync(id);

        await Staff.SetRolesAsync(id, [Roles.Agent], "admin-1");
        await Staff.SetBranchesAsync(id, BranchGrant.None, "admin-1");
        Assert.Equal(created, await StampAsync(id));
        Assert.Equal([AuditActions.UserCreated], await ActionsForAsync(id));

        await Staff.SetRolesAsync(id, [Roles.Supervisor], "admin-1");
        var demoted = await StampAsync(id);
        Assert.NotEqual(created, demoted);

        await Staff.SetBranchesAsync(id, BranchGrant.All, "admin-1");
        Assert.NotEqual(demoted, await StampAsync(id));
        var view = (await Staff.ListAsync()).Single(u => u.Id == id);
        Assert.True(view.AllBranches);
        Assert.Empty(view.BranchIds);
    }

    [Fact]
    public async Task Branch_scope_fails_closed_a_user_sees_branch_data_only_with_rows_or_the_all_branches_flag()
    {
        int centro, norte;
        await using (var db = h.Db())
        {
            centro = await db.Branches.Select(b => b.Id).SingleAsync();
            var branch = new TurnoDigital.Core.Organization.Branch { Name = "Sede Norte", Hours = TurnoDigital.Core.Organization.Branch.AllWeek(0, 1440) };
            db.Branches.Add(branch);
            await db.SaveChangesAsync();
            db.Counters.Add(new TurnoDigital.Core.Organization.Counter { BranchId = branch.Id, Name = "Módulo Norte" });
            await db.SaveChangesAsync();
            norte = branch.Id;
        }
        var panel = h.Services.GetRequiredService<TurnoDigital.Core.Supervision.PanelQueries>();
        var reports = h.Services.GetRequiredService<TurnoDigital.Core.Reporting.ChannelReportService>();
        var centroCounter = await h.CounterAsync("Ventanilla 1");
        var id = await Staff.CreateAsync("nueva@demo.turno", "Nueva", [Roles.Agent, Roles.Supervisor], "Valida2026x", BranchGrant.None, "admin-1");

        // "unrestricted? | panel branches | report branches | desk counters"
        async Task<string> SeesAsync()
        {
            var scope = await panel.ScopeAsync(id, isAdmin: false);
            return $"{scope.Unrestricted} | {string.Join(",", scope.Branches.Select(b => b.Id).Order())}"
                + $" | {string.Join(",", (await reports.AllowedBranchesAsync(id, isAdmin: false)).Select(b => b.Id).Order())}"
                + $" | {string.Join(",", (await h.Queries.GetCountersAsync(id)).Select(c => c.Name).Order())}";
        }

        // No flag, no rows: nothing, and no counter opens.
        Assert.Equal("False |  |  | ", await SeesAsync());
        var refused = await Assert.ThrowsAsync<DomainException>(() => h.Sessions.OpenAsync(centroCounter.Id, id));
        Assert.Contains("No tiene acceso", refused.Message);
        // Its rows only.
        await Staff.SetBranchesAsync(id, BranchGrant.Only(norte), "admin-1");
        Assert.Equal($"False | {norte} | {norte} | Módulo Norte", await SeesAsync());
        await Assert.ThrowsAsync<DomainException>(() => h.Sessions.OpenAsync(centroCounter.Id, id));
        // The flag: every branch, including one created later.
        await Staff.SetBranchesAsync(id, BranchGrant.All, "admin-1");
        Assert.Equal($"True | {centro},{norte} | {centro},{norte} | Módulo Norte,Ventanilla 1,Ventanilla 2,Ventanilla 3", await SeesAsync());
        await h.Sessions.OpenAsync(centroCounter.Id, id);
        // An unknown user sees nothing; an admin sees everything.
        Assert.Empty((await panel.ScopeAsync("nobody", isAdmin: false)).Branches);
        Assert.Equal(2, (await panel.ScopeAsync("nobody", isAdmin: true)).Branches.Count);
    }
}
