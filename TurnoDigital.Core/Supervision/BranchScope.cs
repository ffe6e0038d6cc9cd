using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Supervision;

/// <summary>A branch a supervisor may look at, with its time zone for showing times.</summary>
public sealed record BranchChoice(int Id, string Name, string TimeZoneId)
{
    public TimeZoneInfo Zone => BranchTime.Zone(TimeZoneId);
}

/// <summary>Who sees which branch (see <see cref="Identity.BranchAccess"/>): admins and "all branches" users all; others their UserBranch rows.</summary>
public sealed record BranchScope(bool Unrestricted, IReadOnlyList<BranchChoice> Branches)
{
    public bool Allows(int branchId) => Branches.Any(b => b.Id == branchId);

    public static async Task<BranchScope> ForAsync(TurnoDbContext db, string? userId, bool isAdmin, CancellationToken ct = default)
    {
        var allowed = await Identity.BranchAccess.AllowedAsync(db, userId, isAdmin, ct);
        var unrestricted = allowed is null;
        var ids = allowed ?? [];
        var branches = await db.Branches.AsNoTracking().Where(b => unrestricted || ids.Contains(b.Id)).OrderBy(b => b.Name)
            .Select(b => new BranchChoice(b.Id, b.Name, b.TimeZoneId)).ToListAsync(ct);
        return new BranchScope(unrestricted, branches);
    }
}

/// <summary>UTC bounds of local days in a branch's time zone: [from 00:00, to+1 00:00).</summary>
public static class LocalDays
{
    public static (DateTime FromUtc, DateTime ToUtc) Range(DateOnly from, DateOnly to, TimeZoneInfo zone) =>
        (TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), zone), TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
}
