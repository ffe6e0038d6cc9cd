namespace TurnoDigital.Core.Demo;

/// <summary>Config section "Demo".</summary>
public sealed class DemoOptions
{
    public bool Seed { get; set; }
    /// <summary>With <see cref="Seed"/>: the demo branch's last 30 days and today so far, simulated once (<see cref="DemoHistory"/>).</summary>
    public bool History { get; set; }
    public string Password { get; set; } = "";
    public string KioskPairingCode { get; set; } = "";
    public string DisplayPairingCode { get; set; } = "";
    /// <summary>When set, a REST API key with this value and every scope.</summary>
    public string? ApiKey { get; set; }
}
