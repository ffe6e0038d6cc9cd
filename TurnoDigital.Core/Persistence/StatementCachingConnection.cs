using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// A SQLite connection that keeps each statement prepared while it stays open. Microsoft.Data.Sqlite keeps a statement only
/// for its command object's life and EF makes a command per execution, so SQLite parsed and planned the same SQL every time
/// (dotnet/efcore#14044). It pays only on a connection kept open across operations: the app lends such connections to its
/// contexts (<see cref="PreparedConnections"/>), a simulation holds one. Commands made through
/// <see cref="DbConnection.CreateCommand"/> (EF's way) use the cache; SqliteConnection's own <c>CreateCommand</c> does not.
/// </summary>
public sealed class StatementCachingConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>Past this many distinct statements the cache starts again (SaveChanges batches vary with their rows).</summary>
    internal const int Capacity = 512;

    readonly Dictionary<string, Reusable> prepared = new(StringComparer.Ordinal);

    /// <summary>How many statements are kept prepared now (tests).</summary>
    internal int Prepared => prepared.Count;

    /// <summary>Open, and no transaction left on it: fit to lend again.</summary>
    internal bool Idle => State == ConnectionState.Open && Transaction == null;

    // As SqliteConnection's own: in the connection's transaction, if any, unless told otherwise.
    protected override DbCommand CreateDbCommand()
    {
        var transaction = Transaction;
        return new Command(this) { CommandTimeout = DefaultTimeout, Transaction = transaction };
    }

    /// <summary>The command kept for <paramref name="sql"/>; a fresh one while it is running (a reader still open).</summary>
    SqliteCommand For(string sql)
    {
        if (prepared.TryGetValue(sql, out var kept))
            return kept.Running ? new SqliteCommand(sql, this) : kept;
        if (prepared.Count >= Capacity)
        {
            foreach (var c in prepared.Values.Where(c => !c.Running)) c.Dispose();
            prepared.Clear();
        }
        return prepared[sql] = new Reusable(sql, this);
    }

    public override void Close()
    {
        prepared.Clear(); // the base disposes every command of the connection, these too
        base.Close();
    }

    /// <summary>A command EF fills and disposes; it runs on the kept command for its text.</summary>
    sealed class Command(StatementCachingConnection connection) : DbCommand
    {
        readonly SqliteCommand holder = new(); // only holds the parameters until the command runs

        [AllowNull] public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
        public override CommandType CommandType { get => CommandType.Text; set { } }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => connection; set { } }
        protected override DbParameterCollection DbParameterCollection => holder.Parameters;
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            var command = connection.For(CommandText);
            command.Parameters.Clear();
            foreach (SqliteParameter p in holder.Parameters) command.Parameters.Add(p);
            command.Transaction = (SqliteTransaction?)DbTransaction;
            command.CommandTimeout = CommandTimeout;
            return command.ExecuteReader(behavior);
        }

        public override int ExecuteNonQuery()
        {
            using var reader = ExecuteDbDataReader(CommandBehavior.Default);
            reader.Close();
            return reader.RecordsAffected;
        }

        public override object? ExecuteScalar()
        {
            using var reader = ExecuteDbDataReader(CommandBehavior.Default);
            return reader.Read() ? reader.GetValue(0) : null;
        }
    }

    /// <summary>A command that keeps its prepared statements between runs (reset, not finalized, after each reader).</summary>
    sealed class Reusable(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        public bool Running => DataReader != null;
    }
}
