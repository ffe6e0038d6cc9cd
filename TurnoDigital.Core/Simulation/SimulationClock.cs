namespace TurnoDigital.Core.Simulation;

/// <summary>The clock of a simulation's own services: the engine sets it as it plays events (forwards, in time order).</summary>
public sealed class SimulationClock(DateTime utcNow) : TimeProvider
{
    DateTime now = DateTime.SpecifyKind(utcNow, DateTimeKind.Utc);

    public void Set(DateTime utc) => now = DateTime.SpecifyKind(utc, DateTimeKind.Utc);

    public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
}
