using System.Data.Common;
using SQLitePCL;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 18: the simulation's one open connection prepares each statement once, and still answers every run right.</summary>
public sealed class StatementCachingConnectionTests : IDisposable
{
    const int StatementRuns = 6; // SQLITE_STMTSTATUS_RUN
    readonly string file = Path.Combine(Path.GetTempPath(), $"stmt-cache-{Guid.NewGuid():N}.db");
    readonly StatementCachingConnection connection;

    public StatementCachingConnectionTests()
    {
        connection = new StatementCachingConnection($"Data Source={file};Pooling=False");
        connection.Open();
        connection.Handle!.enable_sqlite3_next_stmt(true); // SQLitePCL's opt-in to list the connection's statements
        Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        for (var i = 1; i <= 3; i++) Execute("INSERT INTO t (id, name) VALUES ($id, $name)", ("$id", i), ("$name", $"n{i}"));
    }

    public void Dispose()
    {
        connection.Dispose();
        File.Delete(file);
    }

    int Execute(string sql, params (string Name, object Value)[] values)
    {
        using var command = Command(sql, values);
        return command.ExecuteNonQuery();
    }

    DbCommand Command(string sql, params (string Name, object Value)[] values)
    {
        var command = ((DbConnection)connection).CreateCommand(); // as EF makes its commands
        command.CommandText = sql;
        foreach (var (name, value) in values)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }

    /// <summary>The connection's statements with this text, and how many times each ran (SQLite's own count).</summary>
    List<int> Runs(string sql)
    {
        var runs = new List<int>();
        for (var stmt = raw.sqlite3_next_stmt(connection.Handle, null); stmt != null && !stmt.IsInvalid; stmt = raw.sqlite3_next_stmt(connection.Handle, stmt))
            if (raw.sqlite3_sql(stmt).utf8_to_string() == sql) runs.Add(raw.sqlite3_stmt_status(stmt, StatementRuns, 0));
        return runs;
    }

    [Fact]
    public void A_statement_run_again_with_other_values_is_prepared_once_and_reads_each_runs_values()
    {
        const string sql = "SELECT name FROM t WHERE id = $id";
        for (var i = 1; i <= 3; i++)
        {
            using var command = Command(sql, ("$id", i));
            Assert.Equal($"n{i}", command.ExecuteScalar());
        }
        // One statement, run three times; a plain SqliteConnection finalizes it after each command.
        Assert.Equal([3], Runs(sql));
        Assert.Equal([3], Runs("INSERT INTO t (id, name) VALUES ($id, $name)"));
    }

    [Fact]
    public void The_same_text_runs_while_its_statement_is_still_reading_and_in_a_transaction()
    {
        const string sql = "SELECT id FROM t WHERE id >= $from ORDER BY id";
        using (var outer = Command(sql, ("$from", 1)))
        using (var reader = outer.ExecuteReader())
        {
            Assert.True(reader.Read());
            using var inner = Command(sql, ("$from", 3));
            Assert.Equal(3L, inner.ExecuteScalar()); // another statement: the kept one is mid-read
            var ids = new List<long> { reader.GetInt64(0) };
            while (reader.Read()) ids.Add(reader.GetInt64(0));
            Assert.Equal([1L, 2L, 3L], ids);
        }

        using (var tx = connection.BeginTransaction())
        {
            // Made inside the transaction, it runs in it unless told otherwise (as SqliteConnection's own commands do).
            using var update = Command("UPDATE t SET name = $name WHERE id = $id", ("$name", "changed"), ("$id", 2));
            Assert.Equal(1, update.ExecuteNonQuery());
            tx.Rollback();
        }
        using var check = Command("SELECT name FROM t WHERE id = $id", ("$id", 2));
        Assert.Equal("n2", check.ExecuteScalar());
    }

    [Fact]
    public void Past_its_capacity_the_cache_starts_again_and_closing_finalizes_every_statement()
    {
        for (var i = 0; i <= StatementCachingConnection.Capacity; i++)
        {
            using var command = Command($"SELECT {i}");
            Assert.Equal((long)i, command.ExecuteScalar());
        }
        Assert.InRange(connection.Prepared, 1, StatementCachingConnection.Capacity);
        connection.Close();
        Assert.Equal(0, connection.Prepared);
    }
}
