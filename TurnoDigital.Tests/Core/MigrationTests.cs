using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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
}
