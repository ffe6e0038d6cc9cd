using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>The desk's view: the agent's own ticket and pause are read for the agent, the line comes from the branch's shared views.</summary>
public sealed class DeskQueries(IDbContextFactory<TurnoDbContext> dbFactory, QueueViewCache views)
{
    public async Task<DeskView?> GetDeskAsync(int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branchId = await db.Counters.Where(c => c.Id == counterId).Select(c => (int?)c.BranchId).FirstOrDefaultAsync(ct);
        if (branchId is null || await views.GetAsync(branchId.Value, ct) is not { } shared || shared.Counter(counterId) is not { } counter) return null;
        var zone = shared.Zone;
        var current = await db.Tickets.AsNoTracking()
            .Where(t => t.CounterId == counterId && t.AgentId == agentId && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))
            .OrderByDescending(t => t.CalledAt).FirstOrDefaultAsync(ct);
        var currentView = current is null ? null : new CurrentTicketView(current.Id, current.Version, current.Number,
            shared.ServiceName(current.ServiceId) ?? "", current.ServiceId, current.Status, current.Priority, current.PreferentialReason, current.CallCount,
            BranchTime.ToLocal(current.IssuedAt, zone), current.CalledAt is null ? null : BranchTime.ToLocal(current.CalledAt.Value, zone),
            current.StartedAt is null ? null : BranchTime.ToLocal(current.StartedAt.Value, zone), current.CustomerId is not null);
        var session = await db.CounterSessions.AsNoTracking().FirstOrDefaultAsync(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null, ct);
        return new DeskView(counter.Id, counter.Name, counter.BranchId, shared.TimeZoneId, currentView, shared.CounterLines(counterId),
            shared.ActiveServices, shared.ActiveCounters, session?.PausedAt is null ? null : BranchTime.ToLocal(session.PausedAt.Value, zone), session?.PauseReason);
    }
}
