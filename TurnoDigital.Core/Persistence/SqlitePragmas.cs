using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TurnoDigital.Core.Persistence;

/// <summary>WAL journal (set once, persistent) and synchronous=NORMAL (per connection): ~18x faster claims than the default journal.</summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    const string Sql = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
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
