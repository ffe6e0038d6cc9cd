using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Organization;

/// <summary>
/// The organisation's configuration (branches with hours and closed dates, counters with their services, services, intake fields,
/// settings, the admin's message texts) read once and kept in memory, so issue, call next, the status view and the messages a save
/// causes do not read it on every operation. A save that changes any of it invalidates it once committed
/// (<see cref="Journeys.JourneyInterceptor"/>), and the other nodes hear it through the live-event channel
/// (<see cref="Live.QueueEventKind.ConfigurationChanged"/>; a resync also invalidates).
/// The entities are shared and untracked: read them, never change them. A counter's fairness count is not configuration (read it).
/// </summary>
public sealed class OrganizationCache
{
    /// <summary>Entity types whose rows are configuration: a save touching one of them invalidates the cache.</summary>
    static readonly HashSet<Type> Types = [typeof(Branch), typeof(OpeningHours), typeof(ClosedDate), typeof(Counter), typeof(Service),
        typeof(IntakeField), typeof(OrganizationSettings), typeof(WhatsApp.MessageText)];
    const string CounterServices = "CounterServices";

    // The context factory is resolved on first load: its options carry the save interceptor, which holds this cache.
    readonly IServiceProvider provider;
    long version;
    volatile Entry? current;

    public OrganizationCache(IServiceProvider services, IEnumerable<Live.IQueueEventSource> sources)
    {
        provider = services;
        // Another node's change (or a resync after the channel between nodes was down) arrives as an organisation-wide event.
        foreach (var source in sources) source.Subscribe(Live.QueueEvent.Organization, _ => { Invalidate(); return Task.CompletedTask; });
    }

    sealed record Entry(long Version, Task<Snapshot> Load);

    public sealed class Snapshot
    {
        public required IReadOnlyDictionary<int, Branch> Branches { get; init; }
        public required IReadOnlyDictionary<int, Service> Services { get; init; }
        public required IReadOnlyDictionary<int, Counter> Counters { get; init; }
        public required ILookup<int, IntakeField> IntakeFields { get; init; }
        public required OrganizationSettings Settings { get; init; }
        /// <summary>The admin's texts by kind (a kind without a row uses its default).</summary>
        public required IReadOnlyDictionary<WhatsApp.MessageKind, WhatsApp.MessageText> MessageTexts { get; init; }
        internal long LoadedAt { get; } = Environment.TickCount64;

        /// <summary>The service at the branch, with its branch (hours, closed dates) loaded; null when it is not there.</summary>
        public Service? ServiceAt(int branchId, int serviceId) => Services.GetValueOrDefault(serviceId) is { } s && s.BranchId == branchId ? s : null;
    }

    /// <summary>The configuration as last committed (read from the database after an invalidation).</summary>
    public Task<Snapshot> GetAsync()
    {
        var entry = current;
        var now = Interlocked.Read(ref version);
        if (entry is not null && entry.Version == now && !entry.Load.IsFaulted && !entry.Load.IsCanceled) return entry.Load;
        // Stamped with the version read before loading: an invalidation during the load makes the next caller load again.
        var fresh = new Entry(now, LoadAsync());
        var seen = Interlocked.CompareExchange(ref current, fresh, entry);
        return (seen == entry ? fresh : seen!).Load;
    }

    /// <summary>
    /// As <see cref="GetAsync()"/>, read again when <paramref name="has"/> misses in a copy older than a second: a row another node
    /// added just now may be here before its event. Bounded, so unknown ids sent by a client do not turn into a read each.
    /// </summary>
    public async Task<Snapshot> GetAsync(Func<Snapshot, bool> has)
    {
        var snapshot = await GetAsync();
        if (has(snapshot) || Environment.TickCount64 - snapshot.LoadedAt < 1000) return snapshot;
        Invalidate();
        return await GetAsync();
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref version);
        current = null;
    }

    /// <summary>Whether a save with these entries changes the configuration (called by its interceptor, after the save detected its changes).</summary>
    public static bool Touches(ChangeTracker tracker) =>
        tracker.Tracked<object>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && IsConfiguration(e.Metadata));

    static bool IsConfiguration(IEntityType type) => Types.Contains(type.ClrType) || type.Name == CounterServices;

    async Task<Snapshot> LoadAsync()
    {
        await Task.Yield();
        await using var db = await provider.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        // One tracking context: its fix-up links branches, services, counters and hours into one graph, then it is let go.
        var branches = await db.Branches.Include(b => b.Hours).Include(b => b.ClosedDates).ToListAsync();
        var services = await db.Services.ToListAsync();
        var counters = await db.Counters.Include(c => c.Services).ToListAsync();
        var fields = await db.IntakeFields.OrderBy(f => f.Order).ThenBy(f => f.Id).ToListAsync();
        var settings = await db.Settings.OrderBy(s => s.Id).FirstOrDefaultAsync() ?? new OrganizationSettings();
        var texts = await db.MessageTexts.AsNoTracking().ToDictionaryAsync(m => m.Kind);
        return new Snapshot
        {
            Branches = branches.ToDictionary(b => b.Id), Services = services.ToDictionary(s => s.Id), Counters = counters.ToDictionary(c => c.Id),
            IntakeFields = fields.ToLookup(f => f.ServiceId), Settings = settings, MessageTexts = texts,
        };
    }
}
