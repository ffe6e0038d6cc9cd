using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Tests.Support;

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// A throwaway PostgreSQL cluster for one test collection: initdb in a temp folder, a free loopback port, no fsync. It runs as
/// the <c>postgres</c> user when the tests run as root (CI), since PostgreSQL refuses to run as root. The app's migrations are
/// applied once to a template database; every test gets its own copy (<see cref="NewDatabaseAsync"/>), so tests never see
/// each other's data. Missing binaries fail the test with what to install; it never skips.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    const string Template = "turno_template";
    static readonly bool Root = Environment.UserName == "root";
    string bin = "", data = "";
    int port, databases;

    public string Folder { get; } = Directory.CreateTempSubdirectory("turno-pg-").FullName;

    public async Task InitializeAsync()
    {
        bin = FindBinaries();
        data = Path.Combine(Folder, "data");
        if (Root) await RunAsync("chown", "-R", "postgres:postgres", Folder);
        port = FreePort();
        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        // Loopback only, socket in the temp folder (not /var/run/postgresql), durability off: a test cluster.
        await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {port} -h 127.0.0.1 -k {Folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
        await using (var db = Context(Template, migrate: true))
            await db.Database.MigrateAsync();
        NpgsqlConnection.ClearAllPools(); // the template must have no connections to be copied
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database, MaxPoolSize = 100 }.ToString();

    /// <summary>A fresh database holding the migrated, empty schema; returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"turno_{Interlocked.Increment(ref databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {Template}", connection);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>An empty database, no migrations.</summary>
    public async Task<string> EmptyDatabaseAsync()
    {
        var name = $"turno_empty_{Interlocked.Increment(ref databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Settings that point the app (or <see cref="CoreHarness"/>) at <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Database:Provider"] = "PostgreSql", ["Database:ConnectionString"] = connectionString,
    };

    PostgreSqlTurnoDbContext Context(string database, bool migrate)
    {
        if (migrate)
        {
            using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            connection.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            cmd.ExecuteNonQuery();
        }
        return new(new DbContextOptionsBuilder<PostgreSqlTurnoDbContext>().UseNpgsql(ConnectionString(database)).Options);
    }

    static string FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
              ?? throw Missing()
            : throw Missing();

    static InvalidOperationException Missing() => new(
        "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin. Install them: apt-get install postgresql");

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    Task RunAsPostgresAsync(string file, params string[] args) =>
        Root ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {await error}{await output}");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (bin != "" && Directory.Exists(data))
        {
            try { await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { } // not started
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
