namespace TurnoDigital.Tests.Support;

/// <summary>
/// Real time that starts at a fixed instant (Wed 2026-11-25 10:00 Bogotá) and can jump ahead, so end-to-end
/// runs see the same dates on any day while timers and waits still run in real time.
/// </summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    readonly DateTimeOffset realStart = System.GetUtcNow();
    TimeSpan jumped;

    public override DateTimeOffset GetUtcNow() => start + (System.GetUtcNow() - realStart) + jumped;

    public void Jump(TimeSpan by) => jumped += by;
}
