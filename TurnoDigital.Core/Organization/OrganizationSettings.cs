namespace TurnoDigital.Core.Organization;

/// <summary>Settings of the whole installation (one row), changed by an admin without a restart.</summary>
public class OrganizationSettings
{
    public int Id { get; set; } = 1;
    /// <summary>Age from which a person is an older adult for preferential attention (60 or 62 in Colombian rules).</summary>
    public int OlderAdultAge { get; set; } = 60;
    /// <summary>Personal data and message bodies older than this are anonymised; statistics are kept.</summary>
    public int RetentionDays { get; set; } = 730;
}

/// <summary>The branches a staff user may see (none: every branch).</summary>
public class UserBranch
{
    public string UserId { get; set; } = "";
    public int BranchId { get; set; }
}
