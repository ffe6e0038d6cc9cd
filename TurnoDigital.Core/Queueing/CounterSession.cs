namespace TurnoDigital.Core.Queueing;

public enum AgentState { Idle, Serving, Paused }

/// <summary>An agent working at a counter, from sign-in at the desk until they leave it.</summary>
public class CounterSession
{
    public const int ReasonMax = 100;

    public long Id { get; set; }
    public int BranchId { get; set; }
    public int CounterId { get; set; }
    public string AgentId { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public DateTime? PausedAt { get; set; }
    public string? PauseReason { get; set; }
    /// <summary>Last heartbeat of the desk; a session nobody touched for hours is stale.</summary>
    public DateTime LastSeenAt { get; set; }
}
