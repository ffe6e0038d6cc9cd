using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Organization;

/// <summary>Settings of the whole installation (one row), changed by an admin without a restart.</summary>
public class OrganizationSettings
{
    public const int DisabledReasonsMax = 100;

    public int Id { get; set; } = 1;
    /// <summary>Age from which a person is an older adult for preferential attention (60 or 62 in Colombian rules).</summary>
    public int OlderAdultAge { get; set; } = 60;
    /// <summary>Personal data and message bodies older than this are anonymised; statistics are kept.</summary>
    public int RetentionDays { get; set; } = 730;
    /// <summary>
    /// Preferential-attention categories switched off, comma-separated enum names. The disabled ones are stored
    /// (not the enabled ones) so existing rows and any future category start enabled, as the law expects.
    /// </summary>
    public string DisabledPreferentialReasons { get; set; } = "";

    public bool IsEnabled(PreferentialReason reason) => Enum.IsDefined(reason) && !Disabled().Contains(reason);

    /// <summary>The categories the kiosk offers and the issue path accepts, in the enum's order.</summary>
    public IReadOnlyList<PreferentialReason> EnabledReasons() => Enum.GetValues<PreferentialReason>().Where(r => !Disabled().Contains(r)).ToList();

    public void SetEnabledReasons(IEnumerable<PreferentialReason> enabled)
    {
        var on = enabled.ToHashSet();
        DisabledPreferentialReasons = string.Join(",", Enum.GetValues<PreferentialReason>().Where(r => !on.Contains(r)));
    }

    HashSet<PreferentialReason> Disabled() => DisabledPreferentialReasons
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(n => Enum.TryParse<PreferentialReason>(n, out var r) ? r : (PreferentialReason?)null)
        .OfType<PreferentialReason>().ToHashSet();
}

/// <summary>The branches a staff user may see (none: every branch).</summary>
public class UserBranch
{
    public string UserId { get; set; } = "";
    public int BranchId { get; set; }
}
