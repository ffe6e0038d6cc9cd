using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// An exclusive lock across nodes and processes around one-time seeding, so two nodes starting together seed once (the
/// holder re-checks "already seeded" inside it). PostgreSQL: a session advisory lock; SQL Server: a session app lock; both on
/// <c>db</c>'s connection, held open until released. SQLite: an OS lock on a file next to the database (a transaction would also
/// block the seeding's own writes, which go through other connections).
/// </summary>
public static class SeedLock
{
    public static async Task<IAsyncDisposable> AcquireAsync(TurnoDbContext db, string name, CancellationToken ct = default)
    {
        var database = db.Database;
        if (database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(database.GetConnectionString()).DataSource;
            if (string.IsNullOrEmpty(file) || file == ":memory:") return new Release(() => Task.CompletedTask);
            while (true)
            {
                try { return new FileStream($"{file}.{name}.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
                catch (IOException) { await Task.Delay(TimeSpan.FromMilliseconds(200), ct); } // the other node is seeding
            }
        }
        await database.OpenConnectionAsync(ct);
        // Waiting for the other node's seeding or migrations may take minutes: longer than any command timeout.
        var timeout = database.GetCommandTimeout();
        database.SetCommandTimeout(TimeSpan.FromHours(1));
        try { return await ServerLockAsync(database, name, ct); }
        finally { database.SetCommandTimeout(timeout); }
    }

    static async Task<IAsyncDisposable> ServerLockAsync(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database, string name, CancellationToken ct)
    {
        if (database.IsNpgsql())
        {
            var key = Key(name);
            await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", ct);
            return new Release(async () => { await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})"); await database.CloseConnectionAsync(); });
        }
        if (database.IsSqlServer())
        {
            await database.ExecuteSqlAsync($"EXEC sp_getapplock @Resource = {name}, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1", ct);
            return new Release(async () => { await database.ExecuteSqlAsync($"EXEC sp_releaseapplock @Resource = {name}, @LockOwner = 'Session'"); await database.CloseConnectionAsync(); });
        }
        throw new NotSupportedException(database.ProviderName);
    }

    /// <summary>A stable 64-bit key for the name (string.GetHashCode differs per process).</summary>
    static long Key(string name) => BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)));

    sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
