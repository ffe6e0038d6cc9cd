using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Core.Queueing;

public enum AgentState { Idle, Serving, Paused }

/// <summary>An agent working at a counter, from sign-in at the desk until they leave it. Every change is announced to the branch's screens.</summary>
public class CounterSession : Entity
{
    public const int ReasonMax = 100;

    public long Id { get; private set; }
    public int BranchId { get; private set; }
    public int CounterId { get; private set; }
    public string AgentId { get; private set; } = "";
    public DateTime StartedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }
    public DateTime? PausedAt { get; private set; }
    public string? PauseReason { get; private set; }
    /// <summary>Last heartbeat of the desk; a session nobody touched for hours is stale.</summary>
    public DateTime LastSeenAt { get; private set; }

    CounterSession() { }

    public static CounterSession Open(int branchId, int counterId, string agentId, DateTime now)
    {
        var session = new CounterSession { BranchId = branchId, CounterId = counterId, AgentId = agentId, StartedAt = now, LastSeenAt = now };
        session.Changed();
        return session;
    }

    /// <summary>The agent is back at this counter (a reload, another tab).</summary>
    public void Reopen(DateTime now)
    {
        RequireOpen();
        LastSeenAt = now;
        Changed();
    }

    public void Pause(string? reason, DateTime now)
    {
        RequireOpen();
        reason = (reason ?? "").Trim();
        if (reason.Length == 0) throw new DomainException("CounterSession.PauseReasonRequired");
        PausedAt = now;
        PauseReason = reason.Length > ReasonMax ? reason[..ReasonMax] : reason;
        LastSeenAt = now;
        Changed();
    }

    public void Resume(DateTime now)
    {
        RequireOpen();
        PausedAt = null;
        PauseReason = null;
        LastSeenAt = now;
        Changed();
    }

    public void Close(DateTime now)
    {
        RequireOpen();
        EndedAt = now;
        LastSeenAt = now;
        Changed();
    }

    void RequireOpen()
    {
        if (EndedAt is not null) throw new DomainException("CounterSession.NotOpen");
    }

    void Changed() => Announce(new QueueEvent(BranchId, QueueEventKind.AgentChanged));
}
