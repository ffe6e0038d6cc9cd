using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// The few SQL fragments that differ per provider: "insert if missing", "add one and return it" and the KPI seconds' backfill (<see cref="KpiSecondsBackfill"/>). Raw SQL quotes every
/// identifier with double quotes (ANSI: SQLite, PostgreSQL, and SQL Server with QUOTED_IDENTIFIER on, SqlClient's default),
/// because PostgreSQL folds unquoted names to lower case. An unknown provider is an error, never SQLite's SQL by default.
/// </summary>
abstract class SqlDialect
{
    /// <summary>Whole seconds (rounded half away from zero) from earlier to later, never below 0, as a 64-bit integer (as <see cref="Queueing.KpiSeconds"/>).</summary>
    public abstract string WholeSeconds(string later, string earlier);

    /// <summary>The literal a boolean column equals when false.</summary>
    public virtual string False => "0";

    /// <summary>
    /// INSERT of one row that does nothing when its key (or a unique index) already holds it, without an error: a second
    /// writer racing the first is not a key violation (which on PostgreSQL would abort the whole transaction).
    /// Parameters are {0}, {1}… in column order; <paramref name="key"/> are the columns that identify the row.
    /// </summary>
    public virtual string InsertIfMissing(string table, string[] columns, string[] key) =>
        $"INSERT INTO \"{table}\" ({Columns(columns)}) VALUES ({Placeholders(columns)}) ON CONFLICT DO NOTHING";

    /// <summary>Runs <see cref="InsertIfMissing"/> with the row's values, in the caller's transaction if it has one.</summary>
    public static Task InsertIfMissingAsync(DatabaseFacade database, string table, string[] columns, string[] key, object[] values, CancellationToken ct) =>
        database.ExecuteSqlRawAsync(For(database).InsertIfMissing(table, columns, key), values, ct);

    /// <summary>
    /// UPDATE that adds one to <paramref name="column"/> of the row whose <paramref name="key"/> columns equal {0}, {1}… and
    /// returns the new value as "Value" (no row: nothing), in one statement instead of an update and a read.
    /// </summary>
    public virtual string Increment(string table, string column, string[] key) =>
        $"UPDATE \"{table}\" SET \"{column}\" = \"{column}\" + 1 WHERE {Where(key, key)} RETURNING \"{column}\" AS \"Value\"";

    /// <summary>Runs <see cref="Increment"/>: the new value, or null when there is no such row.</summary>
    public static async Task<int?> IncrementAsync(DatabaseFacade database, string table, string column, string[] key, object[] values, CancellationToken ct) =>
        (await database.SqlQueryRaw<int>(For(database).Increment(table, column, key), values).ToListAsync(ct)) is [var value] ? value : null;

    /// <summary>The <paramref name="key"/> columns equal to their placeholders, numbered by their place in <paramref name="parameters"/>.</summary>
    protected static string Where(string[] key, string[] parameters) => string.Join(" AND ", key.Select(k => $"\"{k}\" = {{{Array.IndexOf(parameters, k)}}}"));
    protected static string Columns(string[] columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));
    protected static string Placeholders(string[] columns) => string.Join(", ", columns.Select((_, i) => $"{{{i}}}"));

    public static SqlDialect For(DatabaseFacade database) => ForProvider(database.ProviderName);

    /// <summary>By provider name (a migration's ActiveProvider).</summary>
    public static SqlDialect ForProvider(string? providerName) => providerName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => Sqlite.Instance,
        "Microsoft.EntityFrameworkCore.SqlServer" => SqlServer.Instance,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => PostgreSql.Instance,
        var other => throw new NotSupportedException($"No SQL dialect for the database provider '{other}'."),
    };

    sealed class Sqlite : SqlDialect
    {
        public static readonly Sqlite Instance = new();
        public override string WholeSeconds(string later, string earlier) => $"MAX(0, CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400) AS INTEGER))";
    }

    sealed class SqlServer : SqlDialect
    {
        public static readonly SqlServer Instance = new();
        public override string WholeSeconds(string later, string earlier) =>
            $"CASE WHEN {later} < {earlier} THEN CAST(0 AS bigint) ELSE (DATEDIFF_BIG(millisecond, {earlier}, {later}) + 500) / 1000 END";

        public override string Increment(string table, string column, string[] key) =>
            $"UPDATE \"{table}\" SET \"{column}\" = \"{column}\" + 1 OUTPUT INSERTED.\"{column}\" AS \"Value\" WHERE {Where(key, key)}";

        // No ON CONFLICT: the range lock (UPDLOCK, HOLDLOCK) makes a second writer wait for the first and then see its row.
        public override string InsertIfMissing(string table, string[] columns, string[] key) =>
            $"INSERT INTO \"{table}\" ({Columns(columns)}) SELECT {Placeholders(columns)} WHERE NOT EXISTS (SELECT 1 FROM \"{table}\" WITH (UPDLOCK, HOLDLOCK) WHERE {Where(key, columns)})";
    }

    sealed class PostgreSql : SqlDialect
    {
        public static readonly PostgreSql Instance = new();
        public override string WholeSeconds(string later, string earlier) => $"GREATEST(0, CAST(ROUND(EXTRACT(EPOCH FROM ({later} - {earlier}))) AS bigint))";
        public override string False => "FALSE";
    }
}
