using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// WAL journal (set once, persistent) and synchronous=NORMAL (per connection): ~18x faster claims than the default journal.
/// secure_delete (per connection) zeroes deleted and overwritten content, so erased personal data leaves no trace in the file.
/// busy_timeout (per connection): SQLite itself waits for a busy writer, retrying within a millisecond or so at first;
/// without it Microsoft.Data.Sqlite retries a busy statement after a fixed 150 ms sleep, the webhook's p99 tail.
/// All of them last as long as the native connection, which Microsoft.Data.Sqlite's pool keeps open across many opens:
/// they run once per native connection, not on every open (EF opens one for each query outside a transaction).
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    const string Sql = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA busy_timeout=30000;";

    // The native connections already set up (a pooled connection's handle outlives each SqliteConnection that borrows it).
    static readonly ConditionalWeakTable<object, object> Configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsConfigured(connection)) Apply(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        if (IsConfigured(connection)) return;
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = Sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        MarkConfigured(connection);
    }

    /// <summary>The pragmas on a connection opened outside EF (a simulation's shared connection).</summary>
    public static void Apply(DbConnection connection)
    {
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = Sql;
            cmd.ExecuteNonQuery();
        }
        MarkConfigured(connection);
    }

    static bool IsConfigured(DbConnection connection) => connection is SqliteConnection { Handle: { } native } && Configured.TryGetValue(native, out _);

    static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } native }) Configured.AddOrUpdate(native, Configured);
    }
}
