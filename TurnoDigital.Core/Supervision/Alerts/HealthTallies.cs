using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Supervision.Alerts;

/// <summary>Counts forged webhook posts and API errors per minute in the database, so the alert job sees every node's.</summary>
public sealed class HealthTallies(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public async Task AddAsync(TallyKind kind, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var minute = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await db.HealthTallies.Where(t => t.Kind == kind && t.Minute == minute)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Count, t => t.Count + 1), ct) > 0) return;
            try
            {
                db.HealthTallies.Add(new HealthTally { Kind = kind, Minute = minute, Count = 1 });
                await db.SaveChangesAsync(ct);
                return;
            }
            // Another request created the minute's row first: count on it.
            catch (DbUpdateException) { db.ChangeTracker.Clear(); }
        }
    }

    public static Task<int> SinceAsync(TurnoDbContext db, TallyKind kind, DateTime since, CancellationToken ct) =>
        db.HealthTallies.Where(t => t.Kind == kind && t.Minute >= since).SumAsync(t => t.Count, ct);

    /// <summary>Rows older than a day are no longer needed by any threshold.</summary>
    public static Task<int> PruneAsync(TurnoDbContext db, DateTime now, CancellationToken ct) =>
        db.HealthTallies.Where(t => t.Minute < now.AddDays(-1)).ExecuteDeleteAsync(ct);
}
