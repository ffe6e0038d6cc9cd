namespace TurnoDigital.Core.Organization;

/// <summary>A ventanilla / módulo. It serves a set of services.</summary>
public class Counter
{
    public const int NameMax = 60;

    public int Id { get; set; }
    public int BranchId { get; set; }
    public Branch? Branch { get; set; }
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public List<Service> Services { get; set; } = [];
    /// <summary>Consecutive preferential calls at this counter (reset by an ordinary call): the fairness rule's count.</summary>
    public int PreferentialStreak { get; set; }
}
