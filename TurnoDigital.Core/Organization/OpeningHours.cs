namespace TurnoDigital.Core.Organization;

/// <summary>One open interval of a weekday, local minutes since midnight (1440 = end of day). A day may have several (split shifts).</summary>
public class OpeningHours
{
    public int Id { get; set; }
    public int BranchId { get; set; }
    public DayOfWeek Day { get; set; }
    public int OpensAtMinute { get; set; }
    public int ClosesAtMinute { get; set; }
}

/// <summary>A date the branch is closed besides national holidays (inventory, local festivity).</summary>
public class ClosedDate
{
    public const int ReasonMax = 100;
    public int Id { get; set; }
    public int BranchId { get; set; }
    public DateOnly Date { get; set; }
    public string? Reason { get; set; }
}
