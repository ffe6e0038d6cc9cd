using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 17 §2: the app's SQLite contexts run on open connections lent one at a time, which keep their statements prepared.</summary>
public class PreparedConnectionsTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    PreparedConnections Connections => h.Services.GetRequiredService<PreparedConnections>();

    [Fact]
    public async Task The_next_context_gets_the_same_open_connection_with_the_last_ones_statements_still_prepared()
    {
        StatementCachingConnection first;
        int prepared;
        await using (var db = h.Db())
        {
            first = Assert.IsType<StatementCachingConnection>(db.Database.GetDbConnection());
            Assert.Equal(2, await db.Services.CountAsync(s => s.Name == "Caja" || s.Name == "Información"));
            prepared = first.Prepared;
            await using var other = h.Db(); // at the same time: a connection of its own
            Assert.NotSame(first, other.Database.GetDbConnection());
        }

        await using (var db = h.Db())
        {
            Assert.Same(first, db.Database.GetDbConnection());
            Assert.Equal(System.Data.ConnectionState.Open, first.State);
            Assert.Equal(2, await db.Services.CountAsync(s => s.Name == "Caja" || s.Name == "Información"));
        }
        // The second context's count ran on the statement the first one prepared (StatementCachingConnectionTests: reused, not re-prepared).
        Assert.Equal(prepared, first.Prepared);
    }

    [Fact]
    public async Task A_connection_lent_again_reads_what_another_connection_committed_meanwhile()
    {
        static Task<int> CountAsync(TurnoDbContext db) => db.Services.CountAsync(s => s.Name == "Cambiado");
        DbConnection kept;
        await using (var db = h.Db())
        {
            kept = db.Database.GetDbConnection();
            Assert.Equal(0, await CountAsync(db)); // its statement stays prepared on the idle connection
        }
        await using (var first = h.Db()) // takes the kept connection: the write goes through another one
        await using (var other = h.Db())
        {
            Assert.Same(kept, first.Database.GetDbConnection());
            Assert.Equal(1, await other.Services.Where(s => s.Name == "Caja").ExecuteUpdateAsync(u => u.SetProperty(s => s.Name, "Cambiado")));
            Assert.Equal(1, await CountAsync(first)); // no read snapshot held from before
        }
    }

    [Fact]
    public async Task A_context_disposed_inside_a_transaction_gives_its_connection_back_rolled_back()
    {
        SqliteConnection lent;
        await using (var db = h.Db())
        {
            lent = (SqliteConnection)db.Database.GetDbConnection();
            await db.Database.BeginTransactionAsync();
            Assert.Equal(1, await db.Services.Where(s => s.Name == "Caja").ExecuteUpdateAsync(u => u.SetProperty(s => s.Name, "Cambiado")));
        } // no commit

        await using (var db = h.Db())
        {
            Assert.Same(lent, db.Database.GetDbConnection());
            Assert.Equal(0, await db.Services.CountAsync(s => s.Name == "Cambiado"));
            await using var tx = await db.Database.BeginTransactionAsync(); // no transaction left open on it
            await tx.CommitAsync();
        }
    }

    [Fact]
    public async Task Past_the_idle_limit_a_returned_connection_is_closed()
    {
        var contexts = Enumerable.Range(0, PreparedConnections.MaxIdle + 3).Select(_ => h.Db()).ToList();
        var connections = contexts.Select(db => (SqliteConnection)db.Database.GetDbConnection()).ToList();
        Assert.Equal(contexts.Count, connections.Distinct().Count());
        foreach (var db in contexts) await db.DisposeAsync();
        Assert.Equal(PreparedConnections.MaxIdle, Connections.Idle);
        Assert.Equal(3, connections.Count(c => c.State == System.Data.ConnectionState.Closed));
    }
}
