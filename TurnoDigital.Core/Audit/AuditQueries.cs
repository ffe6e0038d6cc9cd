using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Audit;

/// <summary>Filters of the audit browser; dates are UTC instants, <see cref="ToUtc"/> exclusive.</summary>
public sealed record AuditFilter(DateTime? FromUtc = null, DateTime? ToUtc = null, string? Action = null, string? Actor = null, string? EntityId = null);

public sealed record AuditRow(long Id, DateTime At, string? ActorId, string? ActorName, string Action, string Entity, string? EntityId, int? BranchId, string? Details);

public sealed record AuditPage(IReadOnlyList<AuditRow> Items, int Total);

/// <summary>Reads the audit trail page by page in SQL (it grows without bound).</summary>
public sealed class AuditQueries(IDbContextFactory<TurnoDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<AuditPage> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(0, page);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (filter.FromUtc is { } from) q = q.Where(e => e.At >= from);
        if (filter.ToUtc is { } to) q = q.Where(e => e.At < to);
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(e => e.Action == filter.Action.Trim());
        if (!string.IsNullOrWhiteSpace(filter.EntityId)) q = q.Where(e => e.EntityId == filter.EntityId.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            // An actor is found by id, by recorded name, or by the staff user's e-mail or name.
            var actor = filter.Actor.Trim();
            var userIds = db.Users.Where(u => u.Email!.Contains(actor) || u.DisplayName.Contains(actor)).Select(u => u.Id);
            q = q.Where(e => e.ActorId == actor || (e.ActorName != null && e.ActorName.Contains(actor)) || userIds.Contains(e.ActorId!));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize)
            .Select(e => new AuditRow(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.Entity, e.EntityId, e.BranchId, e.Details)).ToListAsync(ct);
        // Names of the staff users on this page only.
        var ids = rows.Where(r => r.ActorName is null && r.ActorId is not null).Select(r => r.ActorId!).Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.Users.Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : $"{u.DisplayName} ({u.Email})", ct);
        return new AuditPage(rows.Select(r => r.ActorName is null && r.ActorId is not null && names.TryGetValue(r.ActorId, out var n) ? r with { ActorName = n } : r).ToList(), total);
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
    }
}
