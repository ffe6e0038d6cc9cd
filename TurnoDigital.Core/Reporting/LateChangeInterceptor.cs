using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Reporting;

/// <summary>
/// Marks a closed day's <see cref="DailyAggregate"/> rows stale in the same save that changes the day late: a ticket that had already
/// ended (a rating, a reactivation, a correction; at day close every ticket of the day ends) or an appointment that had ended or now
/// becomes a no-show. Its <see cref="DayClosure"/> loses its stamp, so the report reads that day from its rows until
/// <see cref="DailyAggregates"/> sums it again. Saves on open tickets (the queue's hot paths) never query anything here.
/// </summary>
public sealed class LateChangeInterceptor : SaveChangesInterceptor
{
    static readonly TicketStatus[] Ended = [TicketStatus.Completed, TicketStatus.NoShow, TicketStatus.Expired, TicketStatus.Cancelled, TicketStatus.NotArrived];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is TurnoDbContext db && LateDays(db) is { Count: > 0 } days) await MarkAsync(db, days, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is TurnoDbContext db && LateDays(db) is { Count: > 0 } days) MarkAsync(db, days, default).GetAwaiter().GetResult();
        return result;
    }

    static List<(int BranchId, DateOnly Day)> LateDays(TurnoDbContext db)
    {
        var days = new List<(int, DateOnly)>();
        foreach (var entry in db.ChangeTracker.Tracked<Ticket>())
            if (Tracked(entry) && Ended.Contains(entry.Property(t => t.Status).OriginalValue) && Changed(entry))
                days.Add((entry.Entity.BranchId, entry.Entity.ServiceDay));
        foreach (var entry in db.ChangeTracker.Tracked<Appointment>())
        {
            if (!Tracked(entry) || (entry.Property(a => a.Status).OriginalValue == AppointmentStatus.Booked
                && entry.Entity.Status != AppointmentStatus.NoShow) || !Changed(entry)) continue;
            // The local day of its start is within a day of the UTC date; marking a neighbour too only sums it again.
            var utcDay = DateOnly.FromDateTime(entry.Entity.Start);
            for (var d = -1; d <= 1; d++) days.Add((entry.Entity.BranchId, utcDay.AddDays(d)));
        }
        return days.Distinct().ToList();
    }

    static bool Tracked(EntityEntry entry) => entry.State is not (EntityState.Added or EntityState.Detached);

    static bool Changed(EntityEntry entry)
    {
        entry.DetectChanges();
        return entry.State is EntityState.Modified or EntityState.Deleted;
    }

    static async Task MarkAsync(TurnoDbContext db, List<(int BranchId, DateOnly Day)> days, CancellationToken ct)
    {
        foreach (var branch in days.GroupBy(d => d.BranchId))
        {
            var dates = branch.Select(d => d.Day).ToList();
            foreach (var closure in await db.DayClosures.Where(c => c.BranchId == branch.Key && dates.Contains(c.Day)).ToListAsync(ct))
            {
                var entry = db.Entry(closure);
                entry.Property(c => c.AggregatedAt).CurrentValue = null;
                entry.Property(c => c.LateChanges).CurrentValue = closure.LateChanges + 1;
            }
        }
    }
}
