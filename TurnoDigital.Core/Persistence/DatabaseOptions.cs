namespace TurnoDigital.Core.Persistence;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>Config section "Database".</summary>
public sealed class DatabaseOptions
{
    public string Provider { get; set; } = "Sqlite";
    public string ConnectionString { get; set; } = "Data Source=App_Data/turno.db";
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>The configured provider; anything else is a start-up error, never a silent fallback to SQLite.</summary>
    public DatabaseProvider Kind => Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
        ? kind
        : throw new InvalidOperationException($"Database:Provider '{Provider}' is not supported; use Sqlite, SqlServer or PostgreSql.");
}
