using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Simulation;

/// <summary>
/// The services a simulation plays through, in a container of their own on a database: Core as configured, the simulation's
/// clock, no live events (nobody watches), no jobs. On SQLite every context shares one open connection: a context per operation
/// otherwise takes a pooled connection and runs the connection pragmas each time, a cost paid thousands of times a simulated day.
/// </summary>
public static class SimulationContainer
{
    /// <param name="config">The app's configuration with <c>Database:*</c> pointing at the database to write (migrations are not run).</param>
    public static ServiceProvider Build(IConfiguration config, SimulationClock clock, string contentRoot)
    {
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(clock).AddSingleton<IQueueNotifier, Silent>().AddSingleton<IQueueEventSource, Silent>();
        services.AddTurnoCore(config, contentRoot);
        var db = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (db.Kind == DatabaseProvider.Sqlite)
        {
            services.AddSingleton(sp => new SharedConnection(DependencyInjection.SqliteConnectionString(db.ConnectionString, contentRoot)));
            services.AddSingleton<IDbContextFactory<TurnoDbContext>>(sp =>
                new SharedConnectionFactory(sp.GetRequiredService<IDbContextFactory<SqliteTurnoDbContext>>(), sp.GetRequiredService<SharedConnection>()));
        }
        return services.BuildServiceProvider();
    }

    /// <summary>The container on the database of the app's <paramref name="root"/>, whose context <paramref name="db"/> is.</summary>
    public static ServiceProvider On(IServiceProvider root, TurnoDbContext db, SimulationClock clock)
    {
        var options = root.GetRequiredService<DatabaseOptions>();
        var config = new ConfigurationBuilder();
        if (root.GetService<IConfiguration>() is { } appConfig) config.AddConfiguration(appConfig);
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = options.Provider,
            // SQLite's resolved absolute path; a server's as configured (an open connection no longer shows its password).
            ["Database:ConnectionString"] = options.Kind == DatabaseProvider.Sqlite ? db.Database.GetConnectionString() : options.ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
        });
        return Build(config.Build(), clock, AppContext.BaseDirectory);
    }

    /// <summary>One open SQLite connection with the pragmas every connection of the app runs (<see cref="SqlitePragmas"/>).</summary>
    sealed class SharedConnection : IDisposable
    {
        public DbConnection Connection { get; }

        public SharedConnection(string connectionString)
        {
            Connection = new StatementCachingConnection(connectionString);
            Connection.Open();
            SqlitePragmas.Apply(Connection);
        }

        public void Dispose() => Connection.Dispose();
    }

    /// <summary>The simulation plays one operation at a time, so its contexts never use the connection at once.</summary>
    sealed class SharedConnectionFactory(IDbContextFactory<SqliteTurnoDbContext> inner, SharedConnection shared) : IDbContextFactory<TurnoDbContext>
    {
        public TurnoDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            db.Database.SetDbConnection(shared.Connection);
            return db;
        }

        public Task<TurnoDbContext> CreateDbContextAsync(CancellationToken ct = default) => Task.FromResult(CreateDbContext());
    }

    sealed class Silent : IQueueNotifier, IQueueEventSource
    {
        public void Publish(QueueEvent e) { }
        public IDisposable Subscribe(int branchId, Func<QueueEvent, Task> handler) => new Nothing();
        sealed class Nothing : IDisposable { public void Dispose() { } }
    }
}
