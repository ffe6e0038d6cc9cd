using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>An agent opening a counter, pausing with a reason, resuming and leaving.</summary>
public sealed class CounterSessionService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, IQueueNotifier notifier)
{
    public async Task OpenAsync(int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counter = await db.Counters.FirstOrDefaultAsync(c => c.Id == counterId && c.IsActive, ct)
            ?? throw new DomainException("Counter.NotFoundOrInactive");
        var allowed = await db.UserBranches.Where(u => u.UserId == agentId).Select(u => u.BranchId).ToListAsync(ct);
        if (allowed.Count > 0 && !allowed.Contains(counter.BranchId))
            throw new DomainException("CounterSession.NoBranchAccess");
        var now = clock.GetUtcNow().UtcDateTime;
        // One agent, one counter: leaving the previous one closes its session.
        foreach (var old in await db.CounterSessions.Where(s => s.AgentId == agentId && s.EndedAt == null && s.CounterId != counterId).ToListAsync(ct))
            old.EndedAt = now;
        var session = await db.CounterSessions.FirstOrDefaultAsync(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null, ct);
        if (session is null)
            db.CounterSessions.Add(new CounterSession { BranchId = counter.BranchId, CounterId = counterId, AgentId = agentId, StartedAt = now, LastSeenAt = now });
        else
            session.LastSeenAt = now;
        await db.SaveChangesAsync(ct);
        notifier.Publish(new QueueEvent(counter.BranchId, QueueEventKind.AgentChanged));
    }

    public Task CloseAsync(int counterId, string agentId, CancellationToken ct = default) =>
        UpdateAsync(counterId, agentId, (s, now) => s.EndedAt = now, ct);

    public Task PauseAsync(int counterId, string agentId, string reason, CancellationToken ct = default)
    {
        reason = (reason ?? "").Trim();
        if (reason.Length == 0) throw new DomainException("CounterSession.PauseReasonRequired");
        if (reason.Length > CounterSession.ReasonMax) reason = reason[..CounterSession.ReasonMax];
        return UpdateAsync(counterId, agentId, (s, now) => { s.PausedAt = now; s.PauseReason = reason; }, ct);
    }

    public Task ResumeAsync(int counterId, string agentId, CancellationToken ct = default) =>
        UpdateAsync(counterId, agentId, (s, _) => { s.PausedAt = null; s.PauseReason = null; }, ct);

    async Task UpdateAsync(int counterId, string agentId, Action<CounterSession, DateTime> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.CounterSessions.FirstOrDefaultAsync(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null, ct)
            ?? throw new DomainException("CounterSession.NotOpen");
        var now = clock.GetUtcNow().UtcDateTime;
        change(session, now);
        session.LastSeenAt = now;
        await db.SaveChangesAsync(ct);
        notifier.Publish(new QueueEvent(session.BranchId, QueueEventKind.AgentChanged));
    }
}
