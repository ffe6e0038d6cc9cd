using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>The next free send slot of one business phone number, shared by every node (Meta's throughput limit is per number).</summary>
public sealed class SendRate
{
    public const int PhoneNumberIdMax = 64;

    public string PhoneNumberId { get; set; } = "";
    /// <summary>UTC ticks of the next free slot; each reservation moves it on by one interval per message.</summary>
    public long NextSlotTicks { get; set; }
}

/// <summary>
/// Paces sends per business phone number across nodes: one database row holds the number's next free slot, a node reserves a
/// run of consecutive slots with a compare-and-swap UPDATE and sends each message at its slot, so all nodes together stay at
/// MessagesPerSecond without Redis or an elected sender. Idle time earns no burst. Slots are spaced 5 % wider than
/// 1/MessagesPerSecond and a send more than 20 ms late takes a later slot (a busy machine would otherwise crowd the late sends
/// onto the next ones), which leaves 30 ms for the network before a second at Meta could hold more than MessagesPerSecond.
/// Slots are wall-clock times: the nodes' clocks must agree (NTP), as for the rest of the app.
/// </summary>
public sealed class SendPacer(IDbContextFactory<TurnoDbContext> dbFactory)
{
    const double Headroom = 1.05;

    public static TimeSpan Interval(int perSecond) => TimeSpan.FromSeconds(Headroom / Math.Max(1, perSecond));

    /// <summary>Reserves <paramref name="count"/> consecutive slots and returns the first; the others follow at <see cref="Interval"/>.</summary>
    public async Task<DateTime> ReserveAsync(string phoneNumberId, int count, int perSecond, CancellationToken ct = default)
    {
        var span = Interval(perSecond).Ticks * count;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var now = DateTime.UtcNow.Ticks;
            var next = await db.SendRates.Where(r => r.PhoneNumberId == phoneNumberId).Select(r => (long?)r.NextSlotTicks).FirstOrDefaultAsync(ct);
            if (next is null)
            {
                db.SendRates.Add(new SendRate { PhoneNumberId = phoneNumberId, NextSlotTicks = now + span });
                try
                {
                    await db.SaveChangesAsync(ct);
                    return new DateTime(now, DateTimeKind.Utc);
                }
                catch (DbUpdateException) { db.ChangeTracker.Clear(); continue; } // another node added the row first
            }
            var first = Math.Max(now, next.Value);
            var moved = await db.SendRates.Where(r => r.PhoneNumberId == phoneNumberId && r.NextSlotTicks == next.Value)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextSlotTicks, first + span), ct);
            if (moved == 1) return new DateTime(first, DateTimeKind.Utc);
            // Another node reserved in between: read the new slot and try again.
        }
    }

    /// <summary>One dispatch pass's slots, handed out in order to its concurrent sends and reserved a fifth of a second's worth at a time.</summary>
    public sealed class Slots(SendPacer pacer, string phoneNumberId, int perSecond, int expected)
    {
        static readonly TimeSpan Late = TimeSpan.FromMilliseconds(20);
        readonly SemaphoreSlim turn = new(1, 1);
        readonly Queue<DateTime> free = new();
        int reserved;

        /// <summary>Returns at this send's slot (wall clock).</summary>
        public async Task WaitTurnAsync(CancellationToken ct)
        {
            var interval = Interval(perSecond);
            while (true)
            {
                DateTime slot;
                await turn.WaitAsync(ct);
                try
                {
                    if (free.Count == 0)
                    {
                        // No more than this pass still needs, so that unused slots rarely hold the other nodes back.
                        var count = Math.Clamp(expected - reserved, 1, Math.Max(1, perSecond / 5));
                        var first = await pacer.ReserveAsync(phoneNumberId, count, perSecond, ct);
                        for (var i = 0; i < count; i++) free.Enqueue(first + interval * i);
                        reserved += count;
                    }
                    slot = free.Dequeue();
                }
                finally { turn.Release(); }
                if (slot - DateTime.UtcNow is { Ticks: > 0 } wait) await Task.Delay(wait, ct);
                if (DateTime.UtcNow - slot <= Late) return;
            }
        }
    }
}
