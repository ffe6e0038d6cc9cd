using Microsoft.AspNetCore.Identity;

namespace TurnoDigital.Core.Identity;

public class AppUser : IdentityUser
{
    public const int DisplayNameMax = 100;
    public string DisplayName { get; set; } = "";
}

public static class Roles
{
    public const string Admin = "Admin", Supervisor = "Supervisor", Agent = "Agent";
    public static readonly string[] All = [Admin, Supervisor, Agent];
}
