using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>Read models for the kiosk, the board, the desk and the status page.</summary>
public sealed class QueueQueries(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, OrganizationCache configuration, WaitingLines lines)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Calls the board lists: room for five simultaneous calls and the ones just before them.</summary>
    public const int BoardRecentCalls = 8;

    /// <summary>The branch of a ticket by its code (one indexed read); null for an unknown code. The live channel of /t starts here.</summary>
    public async Task<int?> GetBranchOfTicketAsync(string code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > Ticket.CodeMax) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tickets.Where(t => t.Code == code).Select(t => (int?)t.BranchId).FirstOrDefaultAsync(ct);
    }

    public async Task<TicketStatusView?> GetStatusAsync(string code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > Ticket.CodeMax) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var t = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code, ct);
        return t is null ? null : await StatusAsync(db, t, ct);
    }

    /// <summary>The status of a ticket already in hand (just written, or just read); the service and branch come from the configuration cache.</summary>
    internal async Task<TicketStatusView> StatusAsync(TurnoDbContext db, Ticket t, CancellationToken ct)
    {
        var config = await configuration.GetAsync(c => c.Services.ContainsKey(t.ServiceId) && (t.CounterId is not int id || c.Counters.ContainsKey(id)));
        var service = config.Services[t.ServiceId];
        var zone = service.Branch!.Zone;
        var ahead = 0;
        var estimate = 0;
        if (t.Status is TicketStatus.Waiting or TicketStatus.Remote)
        {
            // A remote ticket not yet in line is shown as if its holder arrived now (the place they would get);
            // it is not Waiting, so AheadOf never counts it against itself. The entity is not saved after this.
            t.PreviewArrival(Now, service.RemoteFairnessMinutes);
            // People ahead from the kept line (no count query); the estimate only when someone is.
            var waiting = await lines.GetAsync(db, t.BranchId, t.ServiceDay, ct);
            ahead = waiting.AheadOf(t, Now, CallOrder.For([service])).Count();
            estimate = ahead == 0 ? 0
                : (await WaitEstimator.LoadAsync(db, config, t.BranchId, t.ServiceDay, Now, ct, waiting: waiting)).Minutes(t.ServiceId, ahead);
        }
        var counter = t.CounterId is int counterId ? config.Counters.GetValueOrDefault(counterId)?.Name : null;
        return new TicketStatusView(t.Code, t.Number, t.BranchId, service.Branch.Name, service.Name, service.NameEn, t.Status, t.Priority,
            BranchTime.ToLocal(t.IssuedAt, zone), ahead, estimate, counter, service.Branch.TimeZoneId, t.IsRemote);
    }

    /// <summary>Walk-in services of a branch with their line; empty when the branch is closed now.</summary>
    public async Task<IReadOnlyList<WalkInServiceView>> GetWalkInLinesAsync(int branchId, bool onlyWhenOpen, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null || (onlyWhenOpen && !await IsOpenAsync(db, branch, ct))) return [];
        var day = BranchTime.LocalDay(Now, branch.Zone);
        var services = await db.Services.AsNoTracking()
            .Where(s => s.BranchId == branchId && s.IsActive && (s.Mode == ServiceMode.WalkIn || s.Mode == ServiceMode.Both))
            .OrderBy(s => s.Prefix).ToListAsync(ct);
        var line = await lines.GetAsync(db, branchId, day, ct);
        var waiting = line.CountBy(t => t.ServiceId).ToDictionary();
        var model = await WaitEstimator.LoadAsync(db, await configuration.GetAsync(), branchId, day, Now, ct, waiting: line);
        return services.Select(s =>
        {
            var count = waiting.GetValueOrDefault(s.Id);
            return new WalkInServiceView(s.Id, s.Name, s.NameEn, s.Prefix, count, count == 0 ? 0 : model.Minutes(s.Id, count));
        }).ToList();
    }

    /// <summary>The public /fila page: each walk-in line with its wait and the room left for remote tickets. Null for an unknown branch.</summary>
    public async Task<PublicBranchView?> GetPublicBranchAsync(int branchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return null;
        var open = await IsOpenAsync(db, branch, ct);
        var day = BranchTime.LocalDay(Now, branch.Zone);
        var lines = await GetWalkInLinesAsync(branchId, onlyWhenOpen: false, ct);
        var ids = lines.Select(l => l.Id).ToList();
        var rules = await db.Services.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var result = new List<PublicLineView>();
        foreach (var line in lines)
        {
            var s = rules[line.Id];
            var left = s.AllowsRemoteTickets ? Math.Max(0, s.RemoteTicketCap - await QueueService.ActiveRemote(db.Tickets, s.Id, day).CountAsync(ct)) : 0;
            result.Add(new PublicLineView(line, s.AllowsRemoteTickets && open, open ? left : 0, s.RemoteArrival));
        }
        return new PublicBranchView(branch.Id, branch.Name, branch.Address, branch.TimeZoneId, open, result);
    }

    /// <summary>Within opening hours and the day not closed by a supervisor.</summary>
    async Task<bool> IsOpenAsync(TurnoDbContext db, Branch branch, CancellationToken ct) =>
        branch.IsOpenAt(Now) && !await QueueService.IsDayClosedAsync(db, branch, Now, ct);

    /// <summary>Today's remote tickets at the branch still waiting for their holder, by ticket code or document (the desk's arrival search).</summary>
    /// <remarks>A document is matched with its type when <paramref name="documentType"/> is given (CC 123 and TI 123 are different people).</remarks>
    public async Task<IReadOnlyList<TicketStatusView>> FindRemoteTodayAsync(int branchId, string? codeOrDocument, Customers.DocumentType? documentType = null,
        CancellationToken ct = default)
    {
        var (code, document) = QueueService.ParseArrivalInput(codeOrDocument);
        if (code is null && document is null) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return [];
        var today = BranchTime.LocalDay(Now, branch.Zone);
        var codes = await db.Tickets.Where(t => t.BranchId == branchId && t.ServiceDay == today && t.Status == TicketStatus.Remote
                && (t.Code == code || (document != null && t.Customer!.Document!.Number == document
                    && (documentType == null || t.Customer.Document.Type == documentType))))
            .OrderBy(t => t.IssuedAt).Select(t => t.Code).ToListAsync(ct);
        var views = new List<TicketStatusView>();
        foreach (var c in codes) views.Add((await GetStatusAsync(c, ct))!);
        return views;
    }

    public async Task<BoardView?> GetBoardAsync(int branchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return null;
        var day = BranchTime.LocalDay(Now, branch.Zone);
        var calls = await db.Tickets.AsNoTracking()
            .Where(t => t.BranchId == branchId && t.ServiceDay == day && t.CalledAt != null && t.CounterId != null)
            .OrderByDescending(t => t.CalledAt).ThenByDescending(t => t.Id).Take(BoardRecentCalls)
            .Join(db.Counters, t => t.CounterId, c => c.Id, (t, c) => new { t.Id, t.Number, c.Name, t.CalledAt, t.CallCount, t.Status })
            .ToListAsync(ct);
        var recent = calls.Select(c => new CallView(c.Id, c.Number, c.Name, BranchTime.ToLocal(c.CalledAt!.Value, branch.Zone), c.CallCount, c.Status)).ToList();
        return new BoardView(branch.Name, branch.TimeZoneId, recent, await GetWalkInLinesAsync(branchId, onlyWhenOpen: false, ct));
    }

    /// <summary>One call, for the board's announcement. Null when the ticket is no longer called.</summary>
    public async Task<CallView?> GetCallAsync(int branchId, long ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var call = await db.Tickets.AsNoTracking()
            .Where(t => t.Id == ticketId && t.BranchId == branchId && t.Status == TicketStatus.Called)
            .Join(db.Counters, t => t.CounterId, c => c.Id, (t, c) => new { t.Id, t.Number, c.Name, t.CalledAt, t.CallCount, t.Status, c.Branch!.TimeZoneId })
            .FirstOrDefaultAsync(ct);
        return call is null ? null
            : new CallView(call.Id, call.Number, call.Name, BranchTime.ToLocal(call.CalledAt!.Value, BranchTime.Zone(call.TimeZoneId)), call.CallCount, call.Status);
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> GetBranchesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Branches.AsNoTracking().OrderBy(b => b.Name).Select(b => new { b.Id, b.Name }).ToListAsync(ct))
            .Select(b => (b.Id, b.Name)).ToList();
    }

    /// <summary>Active counters of the branches the user may see (<see cref="Identity.BranchAccess"/>: no grant, no counters).</summary>
    public async Task<IReadOnlyList<CounterChoice>> GetCountersAsync(string? userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var allowed = await Identity.BranchAccess.AllowedAsync(db, userId, isAdmin: false, ct);
        var all = allowed is null;
        var ids = allowed ?? [];
        var counters = await db.Counters.AsNoTracking().Include(c => c.Branch).Include(c => c.Services)
            .Where(c => c.IsActive && (all || ids.Contains(c.BranchId))).OrderBy(c => c.BranchId).ThenBy(c => c.Name).ToListAsync(ct);
        return counters.Select(c => new CounterChoice(c.Id, c.Name, c.Branch!.Name,
            c.Services.Where(s => s.IsActive).OrderBy(s => s.Prefix).Select(s => s.Name).ToList())).ToList();
    }
}
