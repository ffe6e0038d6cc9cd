using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Supervision.Alerts;

public sealed record OwnerView(int? BranchId, AlertTarget Target, string UserId, string UserName);

public sealed record AlertView(long Id, AlertCondition Condition, AlertTarget Target, string? BranchName, string Title, string Text,
    DateTime OpenedAt, DateTime? ClosedAt, DateTime? AcknowledgedAt, string? AcknowledgedBy)
{
    public bool IsOpen => ClosedAt is null;
}

/// <summary>
/// Channel owners, thresholds and the alerts a user sees. An owner sees the alerts opened for them; administrators also see
/// the ones nobody owns in the bell, and every alert on the alerts page. Acknowledging records who and when (and is audited).
/// </summary>
public sealed class AlertService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<OwnerView>> OwnersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ChannelOwners.AsNoTracking().Join(db.Users, o => o.UserId, u => u.Id,
                (o, u) => new OwnerView(o.BranchId, o.Target, o.UserId, u.DisplayName != "" ? u.DisplayName : u.Email!))
            .ToListAsync(ct);
    }

    /// <summary>Makes <paramref name="userId"/> the owner of the target at the branch (null: organisation-wide); a null user removes the owner.</summary>
    public async Task SetOwnerAsync(int? branchId, AlertTarget target, string? userId, string? actorId = null, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(target)) throw new DomainException("Alerts.OwnerNotStaff");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (branchId is { } b && !await db.Branches.AnyAsync(x => x.Id == b, ct)) throw new DomainException("Branch.NotFound");
        if (userId is not null)
        {
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null || StaffAdmin.IsDisabled(user)) throw new DomainException("Alerts.OwnerNotStaff");
        }
        var rows = await db.ChannelOwners.Where(o => o.BranchId == branchId && o.Target == target).ToListAsync(ct);
        db.ChannelOwners.RemoveRange(rows);
        if (userId is not null) db.ChannelOwners.Add(new ChannelOwner { BranchId = branchId, Target = target, UserId = userId });
        AuditLog.Add(db, Now, actorId, null, AuditActions.ChannelOwnerSet, "ChannelOwner", target.ToString(), branchId, new { target = target.ToString(), owner = userId });
        await db.SaveChangesAsync(ct);
    }

    public async Task<AlertThresholds> ThresholdsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertThresholds.AsNoTracking().FirstOrDefaultAsync(ct) ?? new AlertThresholds();
    }

    public async Task SaveThresholdsAsync(AlertThresholds values, string? actorId = null, CancellationToken ct = default)
    {
        values.Validate();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AlertThresholds.FirstOrDefaultAsync(ct);
        if (row is null) db.AlertThresholds.Add(row = new AlertThresholds());
        db.Entry(row).CurrentValues.SetValues(values);
        row.Id = 1;
        AuditLog.Add(db, Now, actorId, null, AuditActions.AlertThresholdsSet, "AlertThresholds", 1, null, values);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The bell's alerts: the user's own (and, for an administrator, the unowned), newest first.</summary>
    public async Task<IReadOnlyList<AlertView>> BellAsync(string userId, bool admin, int take = 8, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ViewsAsync(db, Bell(db, userId, admin).OrderByDescending(a => a.OpenedAt).ThenByDescending(a => a.Id).Take(take), ct);
    }

    /// <summary>Alerts in the bell nobody has acknowledged yet.</summary>
    public async Task<int> UnreadAsync(string userId, bool admin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Bell(db, userId, admin).CountAsync(a => a.AcknowledgedAt == null, ct);
    }

    /// <summary>The alerts page: every alert for an administrator, the user's own otherwise; newest first.</summary>
    public async Task<(IReadOnlyList<AlertView> Items, int Total)> PageAsync(string userId, bool admin, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 100);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Visible(db, userId, admin);
        var total = await q.CountAsync(ct);
        var items = await ViewsAsync(db, q.OrderByDescending(a => a.OpenedAt).ThenByDescending(a => a.Id).Skip(Math.Max(0, page) * pageSize).Take(pageSize), ct);
        return (items, total);
    }

    public async Task AcknowledgeAsync(long alertId, string userId, bool admin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await Visible(db, userId, admin).FirstOrDefaultAsync(a => a.Id == alertId, ct) ?? throw new DomainException("Alerts.NotFound");
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        alert.Acknowledge(userId, user.DisplayName != "" ? user.DisplayName : user.Email ?? userId, Now);
        AuditLog.Add(db, Now, userId, null, AuditActions.AlertAcknowledged, "Alert", alert.Id, alert.BranchId);
        await db.SaveChangesAsync(ct);
    }

    static IQueryable<Alert> Visible(TurnoDbContext db, string userId, bool admin) =>
        admin ? db.Alerts : db.Alerts.Where(a => a.OwnerId == userId);

    static IQueryable<Alert> Bell(TurnoDbContext db, string userId, bool admin) =>
        db.Alerts.Where(a => a.OwnerId == userId || (admin && a.OwnerId == null));

    static async Task<IReadOnlyList<AlertView>> ViewsAsync(TurnoDbContext db, IQueryable<Alert> q, CancellationToken ct)
    {
        var rows = await q.AsNoTracking().GroupJoin(db.Branches, a => a.BranchId, b => b.Id, (a, bs) => new { a, bs })
            .SelectMany(x => x.bs.DefaultIfEmpty(), (x, b) => new { x.a, Branch = b == null ? null : b.Name }).ToListAsync(ct);
        var culture = CultureInfo.CurrentUICulture;
        return rows.OrderByDescending(r => r.a.OpenedAt).ThenByDescending(r => r.a.Id).Select(r => new AlertView(r.a.Id, r.a.Condition, r.a.Target, r.Branch, AlertTexts.Title(r.a.Condition, culture),
            AlertTexts.Describe(r.a.Condition, r.a.Detail, culture), r.a.OpenedAt, r.a.ClosedAt, r.a.AcknowledgedAt, r.a.AcknowledgedByName)).ToList();
    }
}
