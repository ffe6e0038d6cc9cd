using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Demo;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Scheduling;

namespace TurnoDigital.Core;

public static class DependencyInjection
{
    /// <summary>Data, identity stores, domain services and jobs. <paramref name="contentRoot"/> resolves a relative SQLite path.</summary>
    public static IServiceCollection AddTurnoCore(this IServiceCollection services, IConfiguration config, string contentRoot)
    {
        var db = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<DemoOptions>(config.GetSection("Demo"));
        services.Configure<WhatsApp.WhatsAppOptions>(config.GetSection("WhatsApp"));
        services.Configure<Privacy.PrivacyOptions>(config.GetSection("Privacy"));
        services.Configure<Customers.ContactLimits>(config.GetSection("ContactLimits"));
        services.Configure<Common.MailOptions>(config.GetSection("Mail"));
        services.AddSingleton(db);
        services.AddSingleton<Common.PublicLinks>();
        services.TryAddSingletonTimeProvider();
        // Journey rows, audit, outbox rows and live events come from the save that causes them (see JourneyInterceptor).
        services.AddSingleton<WhatsApp.Notifications>();
        services.AddSingleton<Organization.OrganizationCache>();
        services.AddSingleton<Journeys.JourneyInterceptor>();
        services.AddSingleton<Customers.ContactHistoryInterceptor>();
        services.AddSingleton<Reporting.LateChangeInterceptor>();

        switch (db.Kind)
        {
            case DatabaseProvider.SqlServer:
                services.AddPooledDbContextFactory<TurnoDbContext>((sp, o) => o.UseSqlServer(db.ConnectionString, x => x.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                    .AddInterceptors(sp.GetRequiredService<Customers.ContactHistoryInterceptor>(), sp.GetRequiredService<Journeys.JourneyInterceptor>(), sp.GetRequiredService<Reporting.LateChangeInterceptor>()));
                break;
            case DatabaseProvider.PostgreSql:
                services.AddPooledDbContextFactory<PostgreSqlTurnoDbContext>((sp, o) => o.UseNpgsql(db.ConnectionString, x => x.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                    .AddInterceptors(sp.GetRequiredService<Customers.ContactHistoryInterceptor>(), sp.GetRequiredService<Journeys.JourneyInterceptor>(), sp.GetRequiredService<Reporting.LateChangeInterceptor>()));
                services.AddSingleton<IDbContextFactory<TurnoDbContext>, DerivedContextFactory<PostgreSqlTurnoDbContext>>();
                break;
            default:
                var connection = SqliteConnectionString(db.ConnectionString, contentRoot);
                services.AddPooledDbContextFactory<SqliteTurnoDbContext>((sp, o) => o.UseSqlite(connection, x => x.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                    .AddInterceptors(new SqlitePragmas(), sp.GetRequiredService<Customers.ContactHistoryInterceptor>(), sp.GetRequiredService<Journeys.JourneyInterceptor>(), sp.GetRequiredService<Reporting.LateChangeInterceptor>()));
                services.AddSingleton(_ => new PreparedConnections(connection));
                services.AddSingleton<IDbContextFactory<TurnoDbContext>, SqliteContextFactory>();
                break;
        }
        // Identity, health checks and data protection want a scoped context.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext());

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<TurnoDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddDataProtection().SetApplicationName("TurnoDigital").PersistKeysToDbContext<TurnoDbContext>();

        services.AddSingleton<QueueQueries>();
        services.AddSingleton<WaitingLines>();
        services.AddSingleton<DeskQueries>();
        services.AddSingleton<Live.QueueViewCache>();
        services.AddSingleton<QueueService>();
        services.AddSingleton<CounterSessionService>();
        services.AddSingleton<PresenceService>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<AvailabilityService>();
        services.AddSingleton<BookingService>();
        services.AddSingleton<BookingCatalog>();
        services.AddSingleton<CheckInService>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<Customers.VisitorQueries>();
        services.AddSingleton<Customers.PersonHistoryQueries>();
        services.AddSingleton<Organization.OrganizationAdmin>();
        services.AddSingleton<Privacy.PersonalDataService>();
        services.AddSingleton<Privacy.NumberHash>();
        services.AddSingleton<WhatsApp.Transport.SendGate>();
        services.AddSingleton<Audit.AuditQueries>();
        services.AddSingleton<Organization.CounterAdmin>();
        services.AddSingleton<Supervision.PanelQueries>();
        services.AddSingleton<Supervision.StaffingQueries>();
        services.AddSingleton<Supervision.JourneyTrace>();
        services.AddSingleton<Supervision.WhatsAppChannelQueries>();
        services.AddSingleton(sp => new Common.MailSender(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Common.MailOptions>>(), contentRoot,
            sp.GetService<Microsoft.Extensions.Hosting.IHostEnvironment>()?.EnvironmentName == "Development"));
        services.AddSingleton<Supervision.Alerts.AlertService>();
        services.AddSingleton<Supervision.Alerts.AlertMonitor>();
        services.AddSingleton<Supervision.Alerts.HealthTallies>();
        services.AddSingleton<StaffAdmin>();
        services.AddSingleton<Reporting.ChannelReportService>();
        services.AddSingleton<Reporting.DailyAggregates>();
        services.AddSingleton<Reporting.ReportArchive>();
        services.AddSingleton<WhatsApp.MessageTexts>();
        services.AddSingleton<WhatsApp.Reminders>();
        services.AddScoped<DemoSeeder>();
        services.AddWhatsAppTransport(config);
        services.AddSingleton<WhatsApp.IConversationHandler, WhatsApp.Conversation.ConversationBot>();

        services.AddQuartz(q =>
        {
            // Server databases: every node shares one job store, so each trigger fires on one node only, and a node that dies
            // mid-job has the job run again by another (Quartz gives each node its own instance id when clustered). SQLite (one
            // node, the demo) keeps jobs in memory.
            if (db.Kind != DatabaseProvider.Sqlite && config.GetValue("Jobs:Clustered", true))
            {
                q.UsePersistentStore(store =>
                {
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(c => (c.CheckinInterval, c.CheckinMisfireThreshold) = (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
                    if (db.Kind == DatabaseProvider.PostgreSql) store.UsePostgres(Npgsql.NpgsqlFactory.Instance, db.ConnectionString);
                    else store.UseSqlServer(Microsoft.Data.SqlClient.SqlClientFactory.Instance, db.ConnectionString);
                });
                // The node's name and start time name it in qrtz_scheduler_state and qrtz_fired_triggers. Not the bare name: a node
                // back within Quartz's grace period under its old id would keep its dead run of a [DisallowConcurrentExecution] job
                // as "executing" for good, so that job would never run again; a new id is recovered by the others. Else Quartz's id.
                if (config["Node:Name"] is { Length: > 0 } node) q.ConfigureScheduler(o => o.InstanceId = $"{node}-{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}");
            }
            Every<ExpireTicketsJob>(q, "expire-tickets", TimeSpan.FromMinutes(5));
            Every<AnonymiseExpiredDataJob>(q, "anonymise-expired-data", TimeSpan.FromHours(6));
            Every<MarkNoShowsJob>(q, "mark-no-shows", TimeSpan.FromMinutes(1));
            Every<Reporting.DailyReportJob>(q, "daily-reports", TimeSpan.FromMinutes(10), firstAfter: TimeSpan.FromMinutes(1));
            Every<Reporting.AggregateDaysJob>(q, "aggregate-days", TimeSpan.FromMinutes(1), firstAfter: TimeSpan.FromMinutes(1));
            Every<SendRemindersJob>(q, "send-reminders", TimeSpan.FromMinutes(1));
            Every<EndStaleSessionsJob>(q, "end-stale-sessions", TimeSpan.FromMinutes(1));
            Every<CheckAlertsJob>(q, "check-alerts", TimeSpan.FromMinutes(1), firstAfter: TimeSpan.FromMinutes(1));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>A repeating job, run again elsewhere if its node dies during it (clustered store).</summary>
    static void Every<T>(IQuartzBuilder q, string name, TimeSpan interval, TimeSpan? firstAfter = null) where T : IJob =>
        q.ScheduleJob<T>(
            t => (firstAfter is { } after ? t.WithIdentity(name).StartAt(DateTimeOffset.UtcNow + after) : t.WithIdentity(name).StartNow())
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()),
            j => j.WithIdentity(name).RequestRecovery());

    /// <summary>Webhook ingest, inbox worker and outbox dispatcher; the Cloud API or the in-app simulator as transport.</summary>
    static void AddWhatsAppTransport(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<WhatsApp.Transport.WhatsAppSignal>();
        services.AddSingleton<WhatsApp.Transport.WebhookIngest>();
        services.AddHttpClient(WhatsApp.Transport.CloudApiTransport.HttpClientName).ConfigureHttpClient((sp, c) =>
            c.Timeout = TimeSpan.FromSeconds(Math.Clamp(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WhatsApp.WhatsAppOptions>>().Value.GraphTimeoutSeconds, 0.1, 120)));
        services.AddSingleton<WhatsApp.Transport.CloudApiTransport>();
        services.AddSingleton<WhatsApp.Transport.SimulatorTransport>();
        var mode = config.GetSection("WhatsApp").Get<WhatsApp.WhatsAppOptions>()?.Mode ?? WhatsApp.WhatsAppMode.Simulator;
        services.AddSingleton<WhatsApp.Transport.IWhatsAppTransport>(sp => mode == WhatsApp.WhatsAppMode.CloudApi
            ? sp.GetRequiredService<WhatsApp.Transport.CloudApiTransport>()
            : WhatsApp.Transport.WhatsAppSimulator.Allowed(sp)
                ? sp.GetRequiredService<WhatsApp.Transport.SimulatorTransport>()
                : new WhatsApp.Transport.NotConnectedTransport());
        services.AddSingleton<WhatsApp.Transport.WhatsAppWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WhatsApp.Transport.WhatsAppWorker>());
        services.AddSingleton<WhatsApp.Transport.WhatsAppSimulator>();
        services.AddSingleton<WhatsApp.Transport.SendPacer>();
        services.AddSingleton<WhatsApp.Transport.OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WhatsApp.Transport.OutboxDispatcher>());
    }

    static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>Makes a relative "Data Source" absolute under the content root and creates its folder.</summary>
    public static string SqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        var folder = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    /// <summary>Applies pending migrations (a no-op on an up-to-date database).</summary>
    public static async Task MigrateTurnoDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TurnoDbContext>().Database;
        // Two nodes starting together on an empty PostgreSQL database both ran the migrations ("column already exists" on one):
        // one at a time under the seeding lock, the second then finds nothing pending. A database still to be created has none to lock.
        await using var lockDb = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync(ct);
        await using (lockDb.Database.IsSqlite() || await lockDb.Database.CanConnectAsync(ct) ? await SeedLock.AcquireAsync(lockDb, "migrate", ct) : null)
        {
            // Otherwise Npgsql reads the missing history table first and logs an error on every new database (npgsql/efcore.pg#3407).
            if (database.IsNpgsql() && await database.CanConnectAsync(ct))
                await Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>(database).CreateIfNotExistsAsync(ct);
            await database.MigrateAsync(ct);
        }
    }

    /// <summary>Creates the database (migrations) and the demo data when configured.</summary>
    public static async Task InitializeTurnoDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        if (services.GetRequiredService<DatabaseOptions>().MigrateOnStartup) await services.MigrateTurnoDatabaseAsync(ct);
        await using var scope = services.CreateAsyncScope();
        var demo = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value;
        if (demo.Seed) await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(demo, ct);
    }
}

/// <summary>SQLite's contexts, each on an open connection of its own while it lives (<see cref="PreparedConnections"/>).</summary>
sealed class SqliteContextFactory(IDbContextFactory<SqliteTurnoDbContext> inner, PreparedConnections connections) : IDbContextFactory<TurnoDbContext>
{
    public TurnoDbContext CreateDbContext() => connections.Lend(inner.CreateDbContext());
    public async Task<TurnoDbContext> CreateDbContextAsync(CancellationToken ct = default) => connections.Lend(await inner.CreateDbContextAsync(ct));
}

/// <summary>Hands out the provider's derived context wherever the base context is asked for.</summary>
sealed class DerivedContextFactory<TDerived>(IDbContextFactory<TDerived> inner) : IDbContextFactory<TurnoDbContext>
    where TDerived : TurnoDbContext
{
    public TurnoDbContext CreateDbContext() => inner.CreateDbContext();
    public Task<TurnoDbContext> CreateDbContextAsync(CancellationToken ct = default) => inner.CreateDbContextAsync(ct).ContinueWith(t => (TurnoDbContext)t.Result, ct);
}
