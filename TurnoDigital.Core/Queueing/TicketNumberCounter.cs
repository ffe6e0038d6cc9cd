namespace TurnoDigital.Core.Queueing;

/// <summary>Last number handed out per branch, service and local day; its key makes numbers unique.</summary>
public class TicketNumberCounter
{
    public int BranchId { get; set; }
    public int ServiceId { get; set; }
    public DateOnly Day { get; set; }
    public int LastSequence { get; set; }
}
