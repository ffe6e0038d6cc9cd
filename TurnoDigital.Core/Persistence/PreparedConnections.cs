using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// The app's SQLite connections: kept open and lent to one context at a time, so each keeps its statements prepared
/// (<see cref="StatementCachingConnection"/>) from one operation to the next. EF opened and closed a pooled connection
/// around every query outside a transaction, and closing one finalizes its statements, so SQLite parsed and planned
/// every statement of every operation again.
/// </summary>
public sealed class PreparedConnections(string connectionString) : IDisposable
{
    /// <summary>Open connections kept between uses: about as many as contexts run at once on a busy node.</summary>
    internal const int MaxIdle = 16;

    readonly ConcurrentBag<StatementCachingConnection> idle = [];
    bool disposed;

    /// <summary>How many wait to be lent (tests).</summary>
    internal int Idle => idle.Count;

    /// <summary>Lends <paramref name="db"/> an open connection until it is disposed.</summary>
    public TurnoDbContext Lend(TurnoDbContext db)
    {
        if (!idle.TryTake(out var connection))
        {
            connection = new StatementCachingConnection(connectionString);
            connection.Open();
            SqlitePragmas.Apply(connection);
        }
        db.Database.SetDbConnection(connection);
        db.AfterDispose = () => Return(connection);
        return db;
    }

    void Return(StatementCachingConnection connection)
    {
        // EF has rolled back a transaction left open by now; a broken or surplus connection is closed.
        if (!disposed && connection.Idle && idle.Count < MaxIdle)
            idle.Add(connection);
        else
            connection.Dispose();
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var connection)) connection.Dispose();
    }
}
