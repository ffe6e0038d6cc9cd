using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Api;

public sealed record ApiKeyView(int Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTime CreatedAt, bool Revoked);

/// <summary>Creates (shown once), checks and revokes REST API keys; only hashes are stored.</summary>
public sealed class ApiKeyService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public async Task<(int Id, string Key)> CreateAsync(string name, IEnumerable<string> scopes, string? fixedKey = null, string? actorId = null, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > ApiKey.NameMax) throw new DomainException("ApiKey.NameRequired", ApiKey.NameMax);
        var chosen = scopes.Distinct().ToList();
        if (chosen.Count == 0 || chosen.Any(s => !ApiKey.AllScopes.Contains(s))) throw new DomainException("ApiKey.ScopeRequired");
        var key = fixedKey ?? "td_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = new ApiKey { Name = name, Hash = ApiKey.HashOf(key), Prefix = key[..Math.Min(8, key.Length)], Scopes = string.Join(' ', chosen), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.ApiKeys.Add(row);
        // One transaction: the key row and its entry (prefix and scopes only, never the key).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, row.CreatedAt, actorId, null, AuditActions.ApiKeyCreated, "ApiKey", row.Id, null, new { row.Name, row.Prefix, row.Scopes });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (row.Id, key);
    }

    /// <summary>The scopes of a valid key, or null for a missing, unknown or revoked key.</summary>
    public async Task<ApiKeyView?> FindAsync(string? key, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200) return null;
        var hash = ApiKey.HashOf(key.Trim());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
        return row is null ? null : View(row);
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        var hash = ApiKey.HashOf(key);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AnyAsync(k => k.Hash == hash, ct);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task RevokeAsync(int id, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.FindAsync([id], ct) ?? throw new DomainException("ApiKey.NotFound");
        row.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, null, AuditActions.ApiKeyRevoked, "ApiKey", row.Id, null, new { row.Name, row.Prefix });
        await db.SaveChangesAsync(ct);
    }

    static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.ScopeList, k.CreatedAt, k.RevokedAt is not null);
}
