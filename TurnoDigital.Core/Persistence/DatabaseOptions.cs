namespace TurnoDigital.Core.Persistence;

/// <summary>Config section "Database".</summary>
public sealed class DatabaseOptions
{
    public string Provider { get; set; } = "Sqlite";
    public string ConnectionString { get; set; } = "Data Source=App_Data/turno.db";
    public bool MigrateOnStartup { get; set; } = true;

    public bool IsSqlServer => string.Equals(Provider, "SqlServer", StringComparison.OrdinalIgnoreCase);
}
