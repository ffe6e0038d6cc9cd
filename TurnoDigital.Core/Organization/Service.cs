namespace TurnoDigital.Core.Organization;

public enum ServiceMode { WalkIn, Schedulable, Both }

public class Service
{
    public const int NameMax = 100, PrefixMax = 3;

    public int Id { get; set; }
    public int BranchId { get; set; }
    public Branch? Branch { get; set; }
    public string Name { get; set; } = "";
    public string? NameEn { get; set; }
    /// <summary>Ticket number prefix, e.g. "A" → A-012.</summary>
    public string Prefix { get; set; } = "A";
    public ServiceMode Mode { get; set; } = ServiceMode.WalkIn;
    /// <summary>Assumed service time until the day has real completions.</summary>
    public int DefaultServiceMinutes { get; set; } = 5;
    /// <summary>Target wait (SLA) in minutes.</summary>
    public int TargetWaitMinutes { get; set; } = 15;
    public bool IsActive { get; set; } = true;
    public List<Counter> Counters { get; set; } = [];

    public bool TakesWalkIns => IsActive && Mode is ServiceMode.WalkIn or ServiceMode.Both;

    public string DisplayName(bool english) => english && !string.IsNullOrWhiteSpace(NameEn) ? NameEn! : Name;
}
