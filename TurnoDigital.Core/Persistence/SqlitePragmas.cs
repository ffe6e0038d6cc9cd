using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// WAL journal (set once, persistent) and synchronous=NORMAL (per connection): ~18x faster claims than the default journal.
/// secure_delete (per connection) zeroes deleted and overwritten content, so erased personal data leaves no trace in the file.
/// busy_timeout (per connection): SQLite itself waits for a busy writer, retrying within a millisecond or so at first;
/// without it Microsoft.Data.Sqlite retries a busy statement after a fixed 150 ms sleep, the webhook's p99 tail.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    const string Sql = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    /// <summary>The pragmas on a connection opened outside EF (a simulation's shared connection).</summary>
    public static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
