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
        var id = await Staff.CreateAsync(" Nueva@Demo.Turno ", "Nueva Asesora", [Roles.Agent], initial, [branchId], "admin-1");
        var view = (await Staff.ListAsync()).Single(u => u.Id == id);
        Assert.Equal(("nueva@demo.turno", "Nueva Asesora", false), (view.Email, view.DisplayName, view.Disabled));
        Assert.Equal([Roles.Agent], view.Roles);
        Assert.Equal([branchId], view.BranchIds);
        Assert.True(await PasswordWorksAsync(id, initial));

        await Staff.SetRolesAsync(id, [Roles.Agent, Roles.Supervisor], "admin-1");
        await Staff.SetBranchesAsync(id, [], "admin-1");
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
        var weak = await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("corta@demo.turno", "Corta", [Roles.Agent], "Corta1", [], "admin-1"));
        Assert.Contains("al menos 10 caracteres", weak.Message);
        var dup = await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("admin@demo.turno", "Otro", [Roles.Agent], "Valida2026x", [], "admin-1"));
        Assert.Contains("Ya existe un usuario", dup.Message);
        await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("sinrol@demo.turno", "Sin rol", [], "Valida2026x", [], "admin-1"));
        await Assert.ThrowsAsync<DomainException>(() => Staff.CreateAsync("sede@demo.turno", "Sede", [Roles.Agent], "Valida2026x", [999], "admin-1"));

        var admin = (await Staff.ListAsync()).Single(u => u.Email == "admin@demo.turno");
        await Assert.ThrowsAsync<DomainException>(() => Staff.SetDisabledAsync(admin.Id, true, admin.Id));
        await Assert.ThrowsAsync<DomainException>(() => Staff.SetRolesAsync(admin.Id, [Roles.Agent], admin.Id));

        await using var db = h.Db();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "sede@demo.turno")); // the transaction rolled the user back
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Entity == "User"));
    }
}
