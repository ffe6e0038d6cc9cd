using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Identity;

public sealed record StaffUserView(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool AllBranches, IReadOnlyList<int> BranchIds, bool Disabled, bool LockedOut);

/// <summary>
/// Staff accounts: create, roles, visible branches, disable and password reset. Passwords are never audited.
/// Every change of access renews the security stamp, so open sessions and circuits re-check within a minute.
/// </summary>
public sealed class StaffAdmin(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>A disabled account is locked out until the end of time; a real lockout ends after minutes.</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static bool IsDisabled(AppUser u) => u.LockoutEnd is { } end && end.Year >= 9999;

    public async Task<IReadOnlyList<StaffUserView>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurnoDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        var branches = await db.UserBranches.AsNoTracking().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return users.Select(u => new StaffUserView(u.Id, u.Email ?? "", u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(), u.AllBranches,
            branches.Where(b => b.UserId == u.Id).Select(b => b.BranchId).Order().ToList(),
            IsDisabled(u), !IsDisabled(u) && u.LockoutEnd > now)).ToList();
    }

    public async Task<string> CreateAsync(string email, string displayName, IReadOnlyCollection<string> roles, string password,
        BranchGrant branches, string? actorId = null, CancellationToken ct = default)
    {
        email = (Customers.EmailAddress.ParseOrNull(email) ?? throw new DomainException("Staff.BadEmail")).Value;
        displayName = (displayName ?? "").Trim();
        if (displayName.Length is 0 or > AppUser.DisplayNameMax) throw new DomainException("Common.NameRequired", AppUser.DisplayNameMax);
        CheckRoles(roles);
        CheckPassword(password);
        return await InScopeAsync(async (users, db) =>
        {
            var branchIds = await CheckBranchesAsync(db, branches, ct);
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, LockoutEnabled = true, AllBranches = branches.AllBranches };
            Ensure(await users.CreateAsync(user, password));
            Ensure(await users.AddToRolesAsync(user, roles.Distinct()));
            db.UserBranches.AddRange(branchIds.Select(b => new UserBranch { UserId = user.Id, BranchId = b }));
            AuditLog.Add(db, Now, actorId, null, AuditActions.UserCreated, "User", user.Id, null,
                new { email, displayName, roles = roles.Order(), allBranches = branches.AllBranches, branches = branchIds });
            return user.Id;
        }, ct);
    }

    public Task SetRolesAsync(string userId, IReadOnlyCollection<string> roles, string? actorId = null, CancellationToken ct = default)
    {
        CheckRoles(roles);
        if (userId == actorId && !roles.Contains(Roles.Admin)) throw new DomainException("Staff.CannotDropOwnAdmin");
        return InScopeAsync(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            var current = await users.GetRolesAsync(user);
            if (current.Order().SequenceEqual(roles.Distinct().Order())) return 0;
            Ensure(await users.RemoveFromRolesAsync(user, current.Except(roles)));
            Ensure(await users.AddToRolesAsync(user, roles.Distinct().Except(current)));
            // Roles live in the sign-in cookie: a new stamp makes open sessions and circuits sign in again.
            Ensure(await users.UpdateSecurityStampAsync(user));
            AuditLog.Add(db, Now, actorId, null, AuditActions.UserRolesChanged, "User", user.Id, null, new { before = current.Order(), after = roles.Order() });
            return 0;
        }, ct);
    }

    /// <summary>The branches the user may see: every branch, or the listed ones (none listed: no branch data).</summary>
    public Task SetBranchesAsync(string userId, BranchGrant branches, string? actorId = null, CancellationToken ct = default) =>
        InScopeAsync(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            var branchIds = await CheckBranchesAsync(db, branches, ct);
            var current = await db.UserBranches.Where(b => b.UserId == user.Id).ToListAsync(ct);
            if (user.AllBranches == branches.AllBranches && current.Select(b => b.BranchId).Order().SequenceEqual(branchIds)) return 0;
            db.UserBranches.RemoveRange(current);
            db.UserBranches.AddRange(branchIds.Select(b => new UserBranch { UserId = user.Id, BranchId = b }));
            user.AllBranches = branches.AllBranches;
            // Saves the flag too; open screens reload their scope when the circuit re-checks the stamp.
            Ensure(await users.UpdateSecurityStampAsync(user));
            AuditLog.Add(db, Now, actorId, null, AuditActions.UserBranchesSet, "User", user.Id, null, new { allBranches = branches.AllBranches, branches = branchIds });
            return 0;
        }, ct);

    public Task SetDisabledAsync(string userId, bool disabled, string? actorId = null, CancellationToken ct = default)
    {
        if (disabled && userId == actorId) throw new DomainException("Staff.CannotDisableSelf");
        return InScopeAsync(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            Ensure(await users.SetLockoutEnabledAsync(user, true));
            Ensure(await users.SetLockoutEndDateAsync(user, disabled ? DisabledUntil : null));
            if (!disabled) Ensure(await users.ResetAccessFailedCountAsync(user));
            // A new stamp ends the sessions the user already has open.
            if (disabled) Ensure(await users.UpdateSecurityStampAsync(user));
            AuditLog.Add(db, Now, actorId, null, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, "User", user.Id);
            return 0;
        }, ct);
    }

    /// <summary>Sets a new generated password and returns it to be shown once.</summary>
    public Task<string> ResetPasswordAsync(string userId, string? actorId = null, CancellationToken ct = default) =>
        InScopeAsync(async (users, db) =>
        {
            var user = await FindAsync(users, userId);
            var password = GeneratePassword();
            // Remove + add instead of a reset token: a token may need a new data-protection key, written
            // through another context that would wait on this transaction's lock.
            Ensure(await users.RemovePasswordAsync(user));
            Ensure(await users.AddPasswordAsync(user, password));
            AuditLog.Add(db, Now, actorId, null, AuditActions.UserPasswordReset, "User", user.Id);
            return password;
        }, ct);

    /// <summary>14 characters with upper, lower and digits (the Identity policy), unambiguous letters only.</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789";
        var chars = (RandomNumberGenerator.GetString(upper, 4) + RandomNumberGenerator.GetString(lower, 6) + RandomNumberGenerator.GetString(digits, 4)).ToCharArray();
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    /// <summary>Runs the Identity calls and the audit entry in one transaction, so a failure leaves neither.</summary>
    async Task<T> InScopeAsync<T>(Func<UserManager<AppUser>, TurnoDbContext, Task<T>> work, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<TurnoDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work(users, db);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    static async Task<AppUser> FindAsync(UserManager<AppUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new DomainException("Staff.NotFound");

    static void CheckRoles(IReadOnlyCollection<string> roles)
    {
        if (roles.Count == 0 || roles.Any(r => !Roles.All.Contains(r))) throw new DomainException("Staff.RoleRequired");
    }

    /// <summary>The password rules of /admin/users (also the create-admin command's).</summary>
    public static void CheckPassword(string? password)
    {
        password ??= "";
        if (password.Length < 10) throw new DomainException("Staff.PasswordTooShort");
        if (!password.Any(char.IsUpper) || !password.Any(char.IsLower) || !password.Any(char.IsDigit))
            throw new DomainException("Staff.PasswordComplexity");
    }

    /// <summary>The grant's branch ids, distinct and ordered (none when it grants every branch); all must exist.</summary>
    static async Task<List<int>> CheckBranchesAsync(TurnoDbContext db, BranchGrant branches, CancellationToken ct)
    {
        var ids = branches.AllBranches ? [] : branches.BranchIds.Distinct().Order().ToList();
        if (ids.Count > 0 && await db.Branches.CountAsync(b => ids.Contains(b.Id), ct) != ids.Count) throw new DomainException("Staff.BranchNotFound");
        return ids;
    }

    static void Ensure(IdentityResult result)
    {
        if (result.Succeeded) return;
        throw result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
            ? new DomainException("Staff.EmailTaken")
            : new DomainException("Staff.SaveFailed", string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
