using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace TurnoDigital.Core.Persistence;

public static class ChangeTrackerExtensions
{
    /// <summary>
    /// The tracked entries of one type as they stand, without the change detection over every tracked entity that
    /// <see cref="ChangeTracker.Entries{TEntity}"/> runs first (a context holding a batch of rows paid it on each look).
    /// A save has detected its changes once before its interceptors look (<see cref="TurnoDbContext"/>); an entry's own
    /// later changes are found with <see cref="EntityEntry.DetectChanges"/>.
    /// </summary>
    public static List<EntityEntry<T>> Tracked<T>(this ChangeTracker tracker) where T : class
    {
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try { return tracker.Entries<T>().ToList(); }
        finally { tracker.AutoDetectChangesEnabled = detect; }
    }
}
