using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>An agent opening a counter, pausing with a reason, resuming and leaving (the sessions announce themselves).</summary>
public sealed class CounterSessionService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public async Task OpenAsync(int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counter = await db.Counters.FirstOrDefaultAsync(c => c.Id == counterId && c.IsActive, ct)
            ?? throw new DomainException("Counter.NotFoundOrInactive");
        var allowed = await Identity.BranchAccess.AllowedAsync(db, agentId, isAdmin: false, ct);
        if (allowed is not null && !allowed.Contains(counter.BranchId))
            throw new DomainException("CounterSession.NoBranchAccess");
        var now = clock.GetUtcNow().UtcDateTime;
        // One agent, one counter: leaving the previous one closes its session.
        foreach (var old in await db.CounterSessions.Where(s => s.AgentId == agentId && s.EndedAt == null && s.CounterId != counterId).ToListAsync(ct))
            old.Close(now);
        var session = await db.CounterSessions.FirstOrDefaultAsync(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null, ct);
        if (session is null)
            db.CounterSessions.Add(CounterSession.Open(counter.BranchId, counterId, agentId, now));
        else
            session.Reopen(now);
        await db.SaveChangesAsync(ct);
    }

    public Task CloseAsync(int counterId, string agentId, CancellationToken ct = default) =>
        UpdateAsync(counterId, agentId, (s, now) => s.Close(now), ct);

    public Task PauseAsync(int counterId, string agentId, string reason, CancellationToken ct = default) =>
        UpdateAsync(counterId, agentId, (s, now) => s.Pause(reason, now), ct);

    public Task ResumeAsync(int counterId, string agentId, CancellationToken ct = default) =>
        UpdateAsync(counterId, agentId, (s, now) => s.Resume(now), ct);

    async Task UpdateAsync(int counterId, string agentId, Action<CounterSession, DateTime> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.CounterSessions.FirstOrDefaultAsync(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null, ct)
            ?? throw new DomainException("CounterSession.NotOpen");
        change(session, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }
}
