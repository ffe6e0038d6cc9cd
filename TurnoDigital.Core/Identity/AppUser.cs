using Microsoft.AspNetCore.Identity;

namespace TurnoDigital.Core.Identity;

public class AppUser : IdentityUser
{
    public const int DisplayNameMax = 100;
    /// <summary>Length of Identity's user id column (ids of agents and actors stored elsewhere).</summary>
    public const int IdMax = 450;
    public string DisplayName { get; set; } = "";
    /// <summary>Sees every branch. Without it the user sees only their <see cref="Organization.UserBranch"/> rows (none: no branch data).</summary>
    public bool AllBranches { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin", Supervisor = "Supervisor", Agent = "Agent";
    public static readonly string[] All = [Admin, Supervisor, Agent];
}
