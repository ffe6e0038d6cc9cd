namespace TurnoDigital.Core.Demo;

/// <summary>Config section "Demo".</summary>
public sealed class DemoOptions
{
    public bool Seed { get; set; }
    /// <summary>With <see cref="Seed"/>: the demo branch's last 30 days and today so far, simulated once (<see cref="DemoHistory"/>).</summary>
    public bool History { get; set; }
    /// <summary>How many past days <see cref="History"/> plays (fewer make a quicker first start, e.g. in an end-to-end test).</summary>
    public int HistoryDays { get; set; } = DemoHistory.Days;
    public string Password { get; set; } = "";
    public string KioskPairingCode { get; set; } = "";
    public string DisplayPairingCode { get; set; } = "";
    /// <summary>When set, a REST API key with this value and every scope.</summary>
    public string? ApiKey { get; set; }
}
