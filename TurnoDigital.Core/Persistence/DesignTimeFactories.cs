using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TurnoDigital.Core.Persistence;

/// <summary>Lets `dotnet ef` build each provider's context without starting the app.</summary>
public class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTurnoDbContext>
{
    public SqliteTurnoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTurnoDbContext>().UseSqlite("Data Source=design.db").Options);
}

public class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<TurnoDbContext>
{
    public TurnoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<TurnoDbContext>().UseSqlServer("Server=.;Database=TurnoDigital;Trusted_Connection=True;TrustServerCertificate=True").Options);
}

public class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlTurnoDbContext>
{
    public PostgreSqlTurnoDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlTurnoDbContext>().UseNpgsql("Host=localhost;Database=turno").Options);
}
