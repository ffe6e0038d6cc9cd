using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Queueing;

/// <summary>A no-show that may still be brought back: until <paramref name="UntilLocal"/> (the service's reactivation window).</summary>
public sealed record NoShowView(long Id, int Version, string Number, string ServiceName, DateTime ClosedLocal, DateTime UntilLocal, bool AtOriginalPlace);

public sealed partial class QueueService
{
    /// <summary>Today's no-shows of the branch still inside their service's reactivation window, latest first.</summary>
    public async Task<IReadOnlyList<NoShowView>> ReactivatableAsync(int branchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var day = BranchTime.LocalDay(now, branch.Zone);
        var rows = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.NoShow)
            .Join(db.Services, t => t.ServiceId, s => s.Id, (t, s) => new { t.Id, t.Version, t.Number, s.Name, t.ClosedAt, s.ReactivationWindowMinutes, s.ReactivateAtOriginalPlace })
            .ToListAsync(ct);
        return rows.Where(r => r.ClosedAt is { } c && now - c <= TimeSpan.FromMinutes(r.ReactivationWindowMinutes))
            .OrderByDescending(r => r.ClosedAt)
            .Select(r => new NoShowView(r.Id, r.Version, r.Number, r.Name, BranchTime.ToLocal(r.ClosedAt!.Value, branch.Zone),
                BranchTime.ToLocal(r.ClosedAt.Value.AddMinutes(r.ReactivationWindowMinutes), branch.Zone), r.ReactivateAtOriginalPlace))
            .ToList();
    }

    /// <summary>
    /// An agent or supervisor brings a no-show back to its line (<see cref="Ticket.Reactivate"/>), within the service's window and
    /// at the place the service's setting says. Only staff of the ticket's branch (<see cref="Identity.BranchAccess"/>); the page
    /// that calls this states the roles.
    /// </summary>
    public async Task<Ticket> ReactivateAsync(long ticketId, int version, string actorId, bool isAdmin = false, CancellationToken ct = default)
    {
        int window;
        bool keepPlace;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.Tickets.Where(t => t.Id == ticketId)
                .Join(db.Services, t => t.ServiceId, s => s.Id, (t, s) => new { t.BranchId, s.ReactivationWindowMinutes, s.ReactivateAtOriginalPlace })
                .FirstOrDefaultAsync(ct) ?? throw new DomainException("Ticket.Gone");
            if (await Identity.BranchAccess.AllowedAsync(db, actorId, isAdmin, ct) is { } allowed && !allowed.Contains(row.BranchId))
                throw new DomainException("Ticket.ReactivateNotAllowed");
            (window, keepPlace) = (row.ReactivationWindowMinutes, row.ReactivateAtOriginalPlace);
        }
        // A no-show cannot change service, so the settings read above are the ticket's.
        return await ActAsync(ticketId, version, (t, now) => t.Reactivate(actorId, now, window, keepPlace), ct);
    }
}
