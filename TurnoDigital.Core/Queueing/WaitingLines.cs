using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// Each branch's waiting tickets of the day as last read, so the estimator does not read a long line again for every issue
/// and every confirmation. Each use checks the copy against the database with one aggregate over the tickets it holds (a
/// checksum of their ids and versions: every change to a ticket bumps its version, leaving the line removes it) and reads
/// only the tickets numbered after it. A copy short of exactly one ticket's term lost that ticket (a call); any other
/// mismatch reads the line again in full. So the line is the database's on every node, with no event to miss.
/// </summary>
public sealed class WaitingLines
{
    sealed record Line(DateOnly Day, long MaxId, long Checksum, IReadOnlyList<Ticket> Tickets)
    {
        /// <summary>This line and the tickets numbered after it.</summary>
        public Line With(List<Ticket> newer) => newer.Count == 0 ? this
            : new(Day, Math.Max(MaxId, newer.Max(t => t.Id)), Checksum + newer.Sum(MixInMemory), [.. Tickets, .. newer]);

        /// <summary>
        /// This line less the one ticket whose term is <paramref name="missing"/> (the checksum's shortfall): the commonest
        /// change, a call that took one ticket out. Null when no single ticket accounts for it (read the line again).
        /// </summary>
        public Line? Without(long missing)
        {
            var gone = Tickets.Where(t => MixInMemory(t) == missing).Take(2).ToList();
            return gone is [var one] ? this with { Checksum = Checksum - missing, Tickets = [.. Tickets.Where(t => t != one)] } : null;
        }
    }

    readonly ConcurrentDictionary<int, Line> lines = new();

    // Each ticket's term: the product of two different spreads of its id and version, below 2^63 before the last modulo, so
    // exact on every provider, and a sum of millions of terms stays exact in 64 bits. One linear spread would keep the ids'
    // sums: tickets 1 and 2 would weigh exactly what ticket 3 weighs.
    static readonly Expression<Func<Ticket, long>> Mix = t =>
        (t.Id * 2654435761L + t.Version * 40503L) % 4294967291L * ((t.Id * 40503L + t.Version * 2654435761L) % 2147483647L) % 4294967291L;
    static readonly Func<Ticket, long> MixInMemory = Mix.Compile();

    /// <summary>
    /// The branch's waiting tickets of <paramref name="day"/> (<see cref="ReadAsync"/>). Inside a transaction the result
    /// includes what the transaction wrote, and is not kept: it may still roll back.
    /// </summary>
    public async Task<IReadOnlyList<Ticket>> GetAsync(TurnoDbContext db, int branchId, DateOnly day, CancellationToken ct)
    {
        var waiting = Waiting(db, branchId, day);
        var line = lines.TryGetValue(branchId, out var known) && known.Day == day
            && await Terms(db, branchId, day, known.MaxId).SumAsync(ct) is var sum
            && (sum == known.Checksum ? known : known.Without(known.Checksum - sum)) is { } kept
            ? kept.With(await Read(waiting.Where(t => t.Id > kept.MaxId), branchId, day, ct))
            : new Line(day, 0, 0, []).With(await Read(waiting, branchId, day, ct));
        if (db.Database.CurrentTransaction is null) lines[branchId] = line;
        return line.Tickets;
    }

    /// <summary>The branch's waiting tickets of the day as the call order needs them (<see cref="Ticket.InLine"/>), read in full.</summary>
    public static async Task<IReadOnlyList<Ticket>> ReadAsync(TurnoDbContext db, int branchId, DateOnly day, CancellationToken ct) =>
        await Read(Waiting(db, branchId, day), branchId, day, ct);

    /// <summary>The checksum's terms of the waiting tickets up to <paramref name="maxId"/> (an index holds ids and versions: no row is read).</summary>
    internal static IQueryable<long> Terms(TurnoDbContext db, int branchId, DateOnly day, long maxId) =>
        Waiting(db, branchId, day).Where(t => t.Id <= maxId).Select(Mix);

    static IQueryable<Ticket> Waiting(TurnoDbContext db, int branchId, DateOnly day) =>
        db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Waiting);

    static Task<List<Ticket>> Read(IQueryable<Ticket> waiting, int branchId, DateOnly day, CancellationToken ct) => waiting
        .Select(t => Ticket.InLine(t.Id, t.Version, branchId, day, t.ServiceId, t.Priority, t.DueAt, t.TargetCounterId, t.AssignedAgentId, t.AssignedCounterId, t.AssignedUntil))
        .ToListAsync(ct);
}
