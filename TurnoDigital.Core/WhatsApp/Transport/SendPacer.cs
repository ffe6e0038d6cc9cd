using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>One of a business phone number's MessagesPerSecond send permits, shared by every node (Meta's limit is per number).</summary>
public sealed class SendPermit
{
    public const int PhoneNumberIdMax = 64;

    public string PhoneNumberId { get; set; } = "";
    public int Number { get; set; }
    /// <summary>UTC ticks from which the permit may be taken: one second after its last send's answer or, while a send holds it, the end of that send's lease.</summary>
    public long FreeAtTicks { get; set; }
}

/// <summary>
/// Keeps all nodes together within MessagesPerSecond as Meta counts them, whatever the network and the machines' pauses do.
/// A number has MessagesPerSecond permits in the database; a send takes one (a compare-and-swap UPDATE) just before its
/// request and gives it back with its answer, and the permit is free again one second after that answer. A request reaches
/// Meta between the moment it leaves and its answer, so two sends on one permit reach Meta at least a second apart and no
/// second at Meta holds more than MessagesPerSecond. The price is the answer's latency: each permit sends once per
/// (1 s + latency). It needs no Redis and no elected sender, so it works the same on all three databases. The free times
/// are wall-clock times: the nodes' clocks must agree (NTP), as for the rest of the app.
/// </summary>
public sealed class SendPacer(IDbContextFactory<TurnoDbContext> dbFactory, ILogger<SendPacer> log)
{
    static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    /// <summary>Longer than the longest send (GraphTimeoutSeconds is at most 120): a node that dies mid-send loses its permit this long.</summary>
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(3);

    /// <summary>One taker at a time per node, so that a node's concurrent sends wait in line rather than race each other in the database.</summary>
    readonly SemaphoreSlim turn = new(1, 1);

    public readonly record struct Permit(string PhoneNumberId, int Number, long LeaseTicks);

    /// <summary>Returns when this node holds one of the number's permits; send at once, then <see cref="ReturnAsync"/>.</summary>
    public async Task<Permit> TakeAsync(string phoneNumberId, int perSecond, CancellationToken ct)
    {
        perSecond = Math.Max(1, perSecond);
        await turn.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            while (true)
            {
                var now = DateTime.UtcNow.Ticks;
                var permits = await db.SendPermits.AsNoTracking().Where(p => p.PhoneNumberId == phoneNumberId && p.Number < perSecond)
                    .Select(p => new { p.Number, p.FreeAtTicks }).ToListAsync(ct);
                if (permits.Count < perSecond)
                {
                    await AddMissingAsync(db, phoneNumberId, perSecond, permits.Select(p => p.Number), ct);
                    continue;
                }
                var free = permits.Where(p => p.FreeAtTicks <= now).ToList();
                if (free.Count == 0)
                {
                    // A held permit frees a second after an answer still to come: no permit is free before now + 1 s.
                    var soonest = Math.Min(permits.Min(p => p.FreeAtTicks), now + Second.Ticks);
                    await Task.Delay(TimeSpan.FromTicks(soonest - now), ct);
                    continue;
                }
                // A random free permit, so that two nodes taking at once rarely want the same one.
                var pick = free[Random.Shared.Next(free.Count)];
                var lease = now + Lease.Ticks;
                var taken = await db.SendPermits.Where(p => p.PhoneNumberId == phoneNumberId && p.Number == pick.Number && p.FreeAtTicks == pick.FreeAtTicks)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.FreeAtTicks, lease), ct);
                if (taken == 1) return new Permit(phoneNumberId, pick.Number, lease);
            }
        }
        finally { turn.Release(); }
    }

    /// <summary>Gives the permit back once the send's answer (or failure) is in: it is free a second later. Never throws, so that
    /// a send that went out is always recorded.</summary>
    public async Task ReturnAsync(Permit permit)
    {
        var freeAt = DateTime.UtcNow.Ticks + Second.Ticks;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            // Unchanged lease only: a permit whose lease ran out may already be another send's.
            await db.SendPermits.Where(p => p.PhoneNumberId == permit.PhoneNumberId && p.Number == permit.Number && p.FreeAtTicks == permit.LeaseTicks)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.FreeAtTicks, freeAt));
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Send permit {Number} not given back; it frees itself when its lease ends.", permit.Number);
        }
    }

    static async Task AddMissingAsync(TurnoDbContext db, string phoneNumberId, int perSecond, IEnumerable<int> present, CancellationToken ct)
    {
        var have = present.ToHashSet();
        for (var n = 0; n < perSecond; n++)
            if (!have.Contains(n)) db.SendPermits.Add(new SendPermit { PhoneNumberId = phoneNumberId, Number = n });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { } // another node added them first
        db.ChangeTracker.Clear();
    }
}
