using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TurnoDigital.Core;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Tests.Support;

/// <summary>Core services on a real, migrated SQLite file with the shared <see cref="TestOrganization"/> and a fake clock.</summary>
public sealed class CoreHarness : IAsyncDisposable
{
    /// <summary>10:00 in Bogotá (UTC−5) on a Wednesday.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
    public const string Password = "TurnoPrueba2026";

    readonly TempDatabase database = new();
    public FakeTimeProvider Clock { get; } = new(Start);
    public RecordingNotifier Notifier { get; } = new();
    public ServiceProvider Services { get; private set; } = default!;

    public QueueService Queue => Services.GetRequiredService<QueueService>();
    public QueueQueries Queries => Services.GetRequiredService<QueueQueries>();
    public CounterSessionService Sessions => Services.GetRequiredService<CounterSessionService>();
    public TurnoDigital.Core.Devices.DeviceService Devices => Services.GetRequiredService<TurnoDigital.Core.Devices.DeviceService>();

    /// <summary><paramref name="settings"/> adds or overrides configuration (e.g. the WhatsApp section).</summary>
    public static async Task<CoreHarness> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var h = new CoreHarness();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = h.database.ConnectionString,
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(h.Clock);
        services.AddSingleton<IQueueNotifier>(h.Notifier);
        services.AddSingleton<IQueueEventSource>(h.Notifier);
        services.AddTurnoCore(config, h.database.Folder);
        configure?.Invoke(services);
        h.Services = services.BuildServiceProvider();
        await h.Services.InitializeTurnoDatabaseAsync();
        await TestOrganization.SeedAsync(h.Services, apiKey: false);
        return h;
    }

    public TurnoDbContext Db() => Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();

    /// <summary>The shared branch open 8:00–17:00 every day instead of all day (the clock starts inside: Wednesday 10:00); returns its id.</summary>
    public async Task<int> OpenEightToFiveAsync()
    {
        await using var db = Db();
        var branch = await db.Branches.SingleAsync();
        db.OpeningHours.RemoveRange(db.OpeningHours);
        db.OpeningHours.AddRange(Branch.AllWeek(8 * 60, 17 * 60).Select(x => { x.BranchId = branch.Id; return x; }));
        await db.SaveChangesAsync();
        return branch.Id;
    }

    public async Task<Service> ServiceAsync(string name)
    {
        await using var db = Db();
        return await db.Services.AsNoTracking().SingleAsync(s => s.Name == name);
    }

    public async Task<Counter> CounterAsync(string name)
    {
        await using var db = Db();
        return await db.Counters.AsNoTracking().Include(c => c.Services).SingleAsync(c => c.Name == name);
    }

    public async Task<TicketStatusView> IssueAsync(string service, PreferentialReason? preferential = null, TurnoDigital.Core.Appointments.IntakeInput? intake = null)
    {
        var s = await ServiceAsync(service);
        return await Queue.IssueAsync(new IssueTicketRequest(s.BranchId, s.Id, TurnoDigital.Core.Common.Channel.Kiosk, Guid.NewGuid(), preferential, Intake: intake, DataPolicyAccepted: intake is not null));
    }

    public async Task<Ticket> TicketAsync(string code)
    {
        await using var db = Db();
        return await db.Tickets.AsNoTracking().SingleAsync(t => t.Code == code);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        database.Dispose();
    }
}
