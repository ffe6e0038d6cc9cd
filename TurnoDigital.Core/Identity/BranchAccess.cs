using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Identity;

/// <summary>What an admin grants a staff user: every branch, or only the listed ones (none listed: no branch data).</summary>
public sealed record BranchGrant(bool AllBranches, IReadOnlyCollection<int> BranchIds)
{
    public static readonly BranchGrant All = new(true, []);
    public static readonly BranchGrant None = new(false, []);
    public static BranchGrant Only(params int[] branchIds) => new(false, branchIds);
}

/// <summary>
/// The one place that decides which branches a staff user may see. Fails closed: admins and users with the
/// "all branches" flag see every branch; anyone else only their UserBranch rows, and no rows means none.
/// </summary>
public static class BranchAccess
{
    /// <summary>The branch ids the user may see; null means every branch.</summary>
    public static async Task<IReadOnlyList<int>?> AllowedAsync(TurnoDbContext db, string? userId, bool isAdmin, CancellationToken ct = default)
    {
        if (isAdmin) return null;
        if (userId is null) return [];
        if (await db.Users.AnyAsync(u => u.Id == userId && u.AllBranches, ct)) return null;
        return await db.UserBranches.Where(u => u.UserId == userId).Select(u => u.BranchId).ToListAsync(ct);
    }
}
