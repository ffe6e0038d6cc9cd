using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Live;

/// <summary>
/// One branch's shared live views at one moment: the board, the walk-in lines, the /fila page and every ticket of the day
/// with its position. Computed once per queue event by <see cref="QueueViewCache"/> and handed to every screen, so it is
/// read-only. The figures are those of <see cref="QueueQueries"/>, from the same rules (call order, estimator, remote cap).
/// </summary>
public sealed class BranchViews
{
    readonly IReadOnlyDictionary<string, TicketStatusView> statuses;
    readonly IReadOnlyDictionary<long, CallView> calls;
    readonly Dictionary<int, Counter> counters;
    readonly Dictionary<int, Service> services;
    readonly Dictionary<int, IReadOnlyList<ServiceLineView>> counterLines;

    public int BranchId { get; }
    public string TimeZoneId { get; }
    public TimeZoneInfo Zone => BranchTime.Zone(TimeZoneId);
    public DateOnly Day { get; }
    /// <summary>UTC time of the read; positions and waits are as of then.</summary>
    public DateTime ComputedAt { get; }
    public bool IsOpen => Public.IsOpen;
    /// <summary>While closed: when the branch opens next (local time), for the kiosk's and /fila's closed notice.</summary>
    public DateTime? NextOpeningLocal { get; }
    public BoardView Board { get; }
    public PublicBranchView Public { get; }
    /// <summary>The walk-in lines while the branch is open, none when closed (the kiosk).</summary>
    public IReadOnlyList<WalkInServiceView> OpenLines => IsOpen ? Board.Lines : [];
    /// <summary>Active services by prefix and active counters by name (the desk's transfer choices).</summary>
    public IReadOnlyList<Service> ActiveServices { get; }
    public IReadOnlyList<Counter> ActiveCounters { get; }
    /// <summary>The organization's settings as of this read (the kiosk's preferential categories).</summary>
    public OrganizationSettings Settings { get; }

    BranchViews(Branch branch, DateOnly day, bool dayClosed, DateTime now, List<Service> services, List<Counter> counters,
        Dictionary<int, int> streaks, List<Ticket> tickets, IReadOnlyDictionary<int, Func<int, int>> estimators, OrganizationSettings settings)
    {
        (BranchId, TimeZoneId, Day, ComputedAt, Settings) = (branch.Id, branch.TimeZoneId, day, now, settings);
        this.services = services.ToDictionary(s => s.Id);
        this.counters = counters.ToDictionary(c => c.Id);
        var zone = branch.Zone;
        var order = CallOrder.For(services);
        var waiting = tickets.Where(t => t.Status == TicketStatus.Waiting).InCallOrder(now, order).ToList();
        int Estimate(int serviceId, int ahead) => ahead == 0 ? 0 : estimators[serviceId](ahead);

        var lines = services.Where(s => s.TakesWalkIns).OrderBy(s => s.Prefix, StringComparer.Ordinal).Select(s =>
        {
            var count = waiting.Count(t => t.ServiceId == s.Id);
            return new WalkInServiceView(s.Id, s.Name, s.NameEn, s.Prefix, count, Estimate(s.Id, count));
        }).ToList();
        // A day closed early by a supervisor reads like after closing time (the issue path refuses the same way).
        var open = !dayClosed && branch.IsOpenAt(now);
        NextOpeningLocal = open ? null : branch.NextOpeningLocal(now, notToday: dayClosed);
        Public = new PublicBranchView(branch.Id, branch.Name, branch.Address, branch.TimeZoneId, open, lines.Select(l =>
        {
            var s = this.services[l.Id];
            var left = s.AllowsRemoteTickets ? Math.Max(0, s.RemoteTicketCap - QueueService.ActiveRemote(tickets, s.Id, day).Count()) : 0;
            return new PublicLineView(l, s.AllowsRemoteTickets && open, open ? left : 0, s.RemoteArrival);
        }).ToList());

        string? CounterName(int? id) => id is int c && this.counters.TryGetValue(c, out var counter) ? counter.Name : null;
        CallView Call(Ticket t) => new(t.Id, t.Number, CounterName(t.CounterId)!, BranchTime.ToLocal(t.CalledAt!.Value, zone), t.CallCount, t.Status);
        var recent = tickets.Where(t => t.CalledAt != null && CounterName(t.CounterId) != null)
            .OrderByDescending(t => t.CalledAt).ThenByDescending(t => t.Id).Take(QueueQueries.BoardRecentCalls).Select(Call).ToList();
        Board = new BoardView(branch.Name, branch.TimeZoneId, recent, lines);
        calls = tickets.Where(t => t.Status == TicketStatus.Called && CounterName(t.CounterId) != null).ToDictionary(t => t.Id, Call);

        // People ahead of a waiting ticket: those before it in call order in its service (CounterLine.AheadOf).
        var place = waiting.GroupBy(t => t.ServiceId).SelectMany(g => g.Select((t, i) => (t.Id, i))).ToDictionary(x => x.Id, x => x.i);
        var result = new Dictionary<string, TicketStatusView>(StringComparer.Ordinal);
        foreach (var t in tickets)
        {
            if (!this.services.TryGetValue(t.ServiceId, out var s)) continue;
            var (ahead, estimate, remote) = (0, 0, t.IsRemote);
            if (t.Status == TicketStatus.Remote)
            {
                // As if its holder arrived now, like QueueQueries.GetStatusAsync (the entity is an untracked copy).
                t.PreviewArrival(now, s.RemoteFairnessMinutes);
                ahead = waiting.AheadOf(t, now, order).Count();
            }
            else if (t.Status == TicketStatus.Waiting) ahead = place[t.Id];
            if (ahead > 0) estimate = Estimate(s.Id, ahead);
            result[t.Code] = new TicketStatusView(t.Code, t.Number, t.BranchId, branch.Name, s.Name, s.NameEn, t.Status, t.Priority,
                BranchTime.ToLocal(t.IssuedAt, zone), ahead, estimate, CounterName(t.CounterId), branch.TimeZoneId, remote);
        }
        statuses = result;
        // Built now so that no ticket entity (with its intake answers) stays in the cache.
        counterLines = counters.ToDictionary(c => c.Id, c => LinesOf(c, streaks.GetValueOrDefault(c.Id), waiting));
        ActiveServices = services.Where(s => s.IsActive).OrderBy(s => s.Prefix, StringComparer.Ordinal).ToList();
        ActiveCounters = counters.Where(c => c.IsActive).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>A ticket of today at this branch as its status page shows it; null for another day's or branch's ticket.</summary>
    public TicketStatusView? Status(string code) => statuses.GetValueOrDefault(code);

    /// <summary>A call being announced (the ticket is still called); null otherwise.</summary>
    public CallView? Call(long ticketId) => calls.GetValueOrDefault(ticketId);

    public Counter? Counter(int counterId) => counters.GetValueOrDefault(counterId);

    public string? ServiceName(int serviceId) => services.GetValueOrDefault(serviceId)?.Name;

    /// <summary>The line a counter calls from, per service, in Call next's order; empty for another branch's counter.</summary>
    public IReadOnlyList<ServiceLineView> CounterLines(int counterId) => counterLines.GetValueOrDefault(counterId) ?? [];

    IReadOnlyList<ServiceLineView> LinesOf(Counter counter, int streak, List<Ticket> waiting)
    {
        var ids = counter.Services.Select(s => s.Id).ToList();
        // The counter's own call order (its fairness turn may put an ordinary ticket first).
        var line = waiting.WaitingFor(BranchId, counter.Id, Day, ids).InCallOrder(ComputedAt, CallOrder.ForCounter(counter.Services, streak)).ToList();
        return counter.Services.OrderBy(s => s.Prefix).Select(s => new ServiceLineView(s.Id, s.Name, s.TargetWaitMinutes,
            line.Where(t => t.ServiceId == s.Id).Select(t => new WaitingTicketView(t.Id, t.Number, t.Priority, t.PreferentialReason,
                BranchTime.ToLocal(t.IssuedAt, Zone), (int)(ComputedAt - t.IssuedAt).TotalMinutes, t.TargetCounterId == counter.Id)).ToList())).ToList();
    }

    /// <summary>Reads the branch's day once; null for an unknown branch. The query count does not depend on the number of tickets.</summary>
    internal static async Task<BranchViews?> LoadAsync(TurnoDbContext db, OrganizationCache.Snapshot config, int branchId, DateTime now, CancellationToken ct)
    {
        // The branch, its services and counters come from the configuration cache; only the counters' fairness counts change with calls.
        if (!config.Branches.TryGetValue(branchId, out var branch)) return null;
        var day = BranchTime.LocalDay(now, branch.Zone);
        var services = config.Services.Values.Where(s => s.BranchId == branchId).ToList();
        var counters = config.Counters.Values.Where(c => c.BranchId == branchId).ToList();
        var streaks = await db.Counters.Where(c => c.BranchId == branchId && c.PreferentialStreak > 0)
            .Select(c => new { c.Id, c.PreferentialStreak }).ToDictionaryAsync(c => c.Id, c => c.PreferentialStreak, ct);
        var tickets = await db.Tickets.Where(t => t.BranchId == branchId && t.ServiceDay == day)
            .Select(t => Ticket.ForViews(t.Id, t.Code, t.Number, t.BranchId, t.ServiceId, t.ServiceDay, t.Channel, t.Status, t.Priority, t.PreferentialReason,
                t.IssuedAt, t.DueAt, t.AppointmentId, t.TargetCounterId, t.AssignedAgentId, t.AssignedCounterId, t.AssignedUntil, t.CounterId, t.AgentId,
                t.CalledAt, t.CallCount, t.ClosedAt))
            .ToListAsync(ct);
        var dayClosed = await QueueService.IsDayClosedAsync(db, branch, now, ct);
        var estimators = new Dictionary<int, Func<int, int>>();
        var model = await WaitEstimator.LoadAsync(db, config, branchId, day, now, ct, tickets);
        foreach (var s in services.Where(s => tickets.Any(t => t.ServiceId == s.Id && t.Status == TicketStatus.Waiting)))
            estimators[s.Id] = ahead => model.Minutes(s.Id, ahead);
        return new BranchViews(branch, day, dayClosed, now, services, counters, streaks, tickets, estimators, config.Settings);
    }
}
