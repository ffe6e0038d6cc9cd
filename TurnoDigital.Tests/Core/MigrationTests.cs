using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

public class MigrationTests
{
    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var tmp = new TempDatabase();
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project TurnoDigital.Core --context SqliteTurnoDbContext --output-dir Persistence/Migrations/Sqlite");
    }

    [Fact]
    public void SqlServer_migrations_match_the_model()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project TurnoDigital.Core --context TurnoDbContext --output-dir Persistence/Migrations/SqlServer");
    }

    [Fact]
    public void SqlServer_script_is_generated_offline()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("CREATE TABLE [Tickets]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Tickets_BranchId_ServiceDay_Number]", script);
        Assert.Contains("[AspNetUsers]", script);
        Assert.Contains("[DataProtectionKeys]", script);
    }

    [Fact]
    public void PostgreSql_script_is_generated_offline()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("CREATE TABLE \"Tickets\"", script);
        Assert.Contains("\"IssuedAt\" timestamp with time zone NOT NULL", script);
        Assert.Contains("CREATE UNIQUE INDEX \"IX_Tickets_BranchId_ServiceDay_Number\"", script);
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("")]
    [InlineData("7")]
    public void An_unknown_database_provider_stops_the_app_instead_of_falling_back_to_SQLite(string provider)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider }).Build();
        var ex = Assert.Throws<InvalidOperationException>(() => { new ServiceCollection().AddTurnoCore(config, Path.GetTempPath()); });
        Assert.Contains("Sqlite, SqlServer or PostgreSql", ex.Message);
    }

    /// <summary>SQLite waits for a busy writer itself (retrying within milliseconds), not in Microsoft.Data.Sqlite's 150 ms sleeps.</summary>
    [Fact]
    public async Task Every_Sqlite_connection_sets_a_busy_timeout()
    {
        using var tmp = new TempDatabase();
        var options = new DbContextOptionsBuilder<SqliteTurnoDbContext>().UseSqlite(tmp.ConnectionString).AddInterceptors(new SqlitePragmas()).Options;
        await using var db = new SqliteTurnoDbContext(options);
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout";
        Assert.Equal(30_000L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Sqlite_migrations_apply_to_a_fresh_file_in_WAL_mode()
    {
        using var tmp = new TempDatabase();
        var options = new DbContextOptionsBuilder<SqliteTurnoDbContext>().UseSqlite(tmp.ConnectionString).AddInterceptors(new SqlitePragmas()).Options;
        await using (var db = new SqliteTurnoDbContext(options))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        }
        await using var connection = new SqliteConnection(tmp.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'Tickets'";
        Assert.Equal(1L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    /// <summary>
    /// Reverting each migration gives back the schema it started from: a migration's recorded target model that misses
    /// something (parallel branches merged) makes SQLite's table rebuild in a later Down drop columns or indexes.
    /// </summary>
    [Fact]
    public async Task Sqlite_migrations_revert_one_by_one_to_the_schema_each_started_from()
    {
        using var tmp = new TempDatabase();
        var options = new DbContextOptionsBuilder<SqliteTurnoDbContext>().UseSqlite(tmp.ConnectionString).Options;
        await using var db = new SqliteTurnoDbContext(options);
        var migrator = db.GetService<IMigrator>();
        var names = db.Database.GetMigrations().ToList();
        var schemas = new List<string> { await SchemaAsync(db) };
        foreach (var name in names)
        {
            await migrator.MigrateAsync(name);
            schemas.Add(await SchemaAsync(db));
        }
        for (var i = names.Count - 1; i >= 0; i--)
        {
            await migrator.MigrateAsync(i == 0 ? Migration.InitialDatabase : names[i - 1]);
            Assert.True(schemas[i] == await SchemaAsync(db), $"Reverting {names[i]} does not give back the schema before it");
        }
    }

    /// <summary>Tables with their columns and indexes with their columns, in a stable order (rebuilt tables may order columns differently).</summary>
    static async Task<string> SchemaAsync(DbContext db)
    {
        var lines = await db.Database.SqlQueryRaw<string>("""
            SELECT 'column ' || m.name || '.' || c.name || ' ' || c.type || ' notnull=' || c."notnull" || ' pk=' || c.pk AS Value
            FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\_\_EF%' ESCAPE '\'
            UNION ALL
            SELECT 'index ' || m.name || '.' || l.name || ' unique=' || l."unique" || ' (' || (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) || ')'
            FROM sqlite_master m JOIN pragma_index_list(m.name) l WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND l.origin = 'c'
            """).ToListAsync();
        return string.Join("\n", lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StaffBranchAccess_keeps_every_branch_for_existing_users_without_branch_rows()
    {
        using var tmp = new TempDatabase();
        var options = new DbContextOptionsBuilder<SqliteTurnoDbContext>().UseSqlite(tmp.ConnectionString).AddInterceptors(new SqlitePragmas()).Options;
        await using var db = new SqliteTurnoDbContext(options);
        var migrations = db.Database.GetMigrations().ToList();
        var staffBranchAccess = migrations.FindIndex(m => m.EndsWith("_StaffBranchAccess"));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[staffBranchAccess - 1]);

        // Two users of an installed site: one limited to a branch, one with no rows (who saw every branch until now).
        // Raw SQL: the current model's Branch has columns this old schema lacks.
        await db.Database.ExecuteSqlAsync($"INSERT INTO Branches (Name, TimeZoneId, ObservesNationalHolidays) VALUES ('Sede Centro', 'America/Bogota', 1)");
        var branch = new { Id = await db.Database.SqlQuery<int>($"SELECT Id AS Value FROM Branches").SingleAsync() };
        foreach (var id in new[] { "limited", "everywhere" })
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO AspNetUsers (Id, DisplayName, AccessFailedCount, EmailConfirmed, LockoutEnabled, PhoneNumberConfirmed, TwoFactorEnabled)
                VALUES ({id}, {id}, 0, 1, 1, 0, 0)
                """);
        await db.Database.ExecuteSqlAsync($"INSERT INTO UserBranches (UserId, BranchId) VALUES ('limited', {branch.Id})");

        await migrator.MigrateAsync(migrations[staffBranchAccess]);
        var flags = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => new { u.Id, u.AllBranches }).ToListAsync();
        Assert.Equal([("everywhere", true), ("limited", false)], flags.Select(f => (f.Id, f.AllBranches)));
    }
}
