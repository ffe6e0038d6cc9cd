using System.Security.Cryptography;
using System.Text;

namespace TurnoDigital.Core.Api;

/// <summary>A key for the REST API. Only its SHA-256 is stored; the key is shown once when created.</summary>
public class ApiKey
{
    public const int NameMax = 80, HashMax = 64, PrefixMax = 12, ScopesMax = 100;
    public static readonly string[] AllScopes = [ApiScopes.Appointments, ApiScopes.Tickets, ApiScopes.Reports];

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    /// <summary>First characters of the key, so an admin can tell keys apart.</summary>
    public string Prefix { get; set; } = "";
    /// <summary>Space-separated scopes.</summary>
    public string Scopes { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string HashOf(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

public static class ApiScopes
{
    public const string Appointments = "appointments", Tickets = "tickets", Reports = "reports";
}
