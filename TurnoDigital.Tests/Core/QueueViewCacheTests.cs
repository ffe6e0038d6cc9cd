using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace TurnoDigital.Tests.Core;

/// <summary>The per-branch view cache: the figures the pages showed before it, computed once per queue event.</summary>
public class QueueViewCacheTests : IAsyncLifetime
{
    readonly CommandCounter commands = new();
    CoreHarness h = default!;
    QueueViewCache Cache => h.Services.GetRequiredService<QueueViewCache>();

    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync(configure: commands.AddTo);
    public async Task DisposeAsync() => await h.DisposeAsync();

    static string Json(object? o) => JsonSerializer.Serialize(o);

    /// <summary>Both priority classes, two services, a remote ticket, a transfer to one counter, a completion for the estimator.</summary>
    async Task<int> BusyBranchAsync()
    {
        var v1 = await h.CounterAsync("Ventanilla 1");
        var v3 = await h.CounterAsync("Ventanilla 3");
        await h.Services.AgentsAsync("agent-1", "agent-3");
        await h.Sessions.OpenAsync(v1.Id, "agent-1");
        await h.Sessions.OpenAsync(v3.Id, "agent-3");
        var served = await h.IssueAsync("Caja");
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        t = await h.Queue.StartAsync(t.Id, t.Version, "agent-1");
        h.Clock.Advance(TimeSpan.FromMinutes(7));
        await h.Queue.CompleteAsync(t.Id, t.Version, "agent-1", null);
        foreach (var s in new[] { "Caja", "Información", "Caja", "Caja", "Información" }) { await h.IssueAsync(s); h.Clock.Advance(TimeSpan.FromSeconds(30)); }
        await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        var caja = await h.ServiceAsync("Caja");
        await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(caja.BranchId, caja.Id, Channel.Web, Guid.NewGuid(), "3001234567", false, true));
        var tramites = await h.ServiceAsync("Trámites y certificados"); // confirm arrival: Remote until then
        await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(caja.BranchId, tramites.Id, Channel.Web, Guid.NewGuid(), "3001234568", false, true,
            new(TurnoDigital.Core.Customers.DocumentType.CC, "52123456", "Rosa Díaz", "3001234568", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" })));
        var info = await h.ServiceAsync("Información");
        var moved = (await h.Queue.CallNextAsync(v3.Id, "agent-3"))!;
        await h.Queue.TransferAsync(moved.Id, moved.Version, "agent-3", info.Id, v3.Id);
        Assert.NotEqual(TicketStatus.Waiting, (await h.TicketAsync(served.Code)).Status);
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        return caja.BranchId;
    }

    [Fact]
    public async Task The_views_are_what_the_direct_queries_give()
    {
        var branchId = await BusyBranchAsync();
        var views = (await Cache.GetAsync(branchId))!;

        Assert.Equal(Json(await h.Queries.GetBoardAsync(branchId)), Json(views.Board));
        Assert.Equal(Json(await h.Queries.GetPublicBranchAsync(branchId)), Json(views.Public));
        Assert.Equal(Json(await h.Queries.GetWalkInLinesAsync(branchId, onlyWhenOpen: true)), Json(views.OpenLines));
        await using var db = h.Db();
        var codes = await db.Tickets.Select(t => t.Code).ToListAsync();
        Assert.Equal(9, codes.Count);
        foreach (var code in codes) Assert.Equal(await h.Queries.GetStatusAsync(code), views.Status(code));
        Assert.Contains(codes, c => views.Status(c) is { IsRemote: true, PeopleAhead: > 0, EstimatedWaitMinutes: > 0 });
        Assert.Contains(codes, c => views.Status(c) is { Status: TicketStatus.Remote });
        Assert.Contains(codes, c => views.Status(c) is { Priority: PriorityClass.Preferential, PeopleAhead: 0 });

        // Each counter's line: Call next's order, the transfer only on its counter.
        var now = h.Clock.GetUtcNow().UtcDateTime;
        foreach (var counter in await db.Counters.Include(c => c.Services).Where(c => c.BranchId == branchId).ToListAsync())
        {
            var ids = counter.Services.Select(s => s.Id).ToList();
            var direct = await db.Tickets.WaitingFor(branchId, counter.Id, views.Day, ids).InCallOrder(now, CallOrder.ForCounter(counter)).ToListAsync();
            foreach (var line in views.CounterLines(counter.Id))
                Assert.Equal(direct.Where(t => t.ServiceId == line.ServiceId).Select(t => t.Id), line.Waiting.Select(w => w.Id));
        }
        Assert.Contains(views.CounterLines((await h.CounterAsync("Ventanilla 3")).Id).SelectMany(l => l.Waiting), w => w.ForThisCounter);
    }

    [Fact]
    public async Task A_counters_line_in_the_views_follows_its_fairness_turn_as_call_next_does()
    {
        // Caja gives an ordinary ticket its turn after one preferential call at a counter (the count is read, not configuration).
        var settings = ServiceSettings.From(await h.ServiceAsync("Caja"));
        settings.OrdinaryAfterPreferentialCalls = 1;
        await h.Services.GetRequiredService<OrganizationAdmin>().UpdateServiceAsync(settings, "admin-1");
        var caja = await h.ServiceAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        await h.Services.AgentsAsync("agent-1");
        await h.Sessions.OpenAsync(v1.Id, "agent-1");
        await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        var ordinary = await h.IssueAsync("Caja");
        var preferential = await h.IssueAsync("Caja", PreferentialReason.Pregnancy);
        var first = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        first = await h.Queue.StartAsync(first.Id, first.Version, "agent-1");
        await h.Queue.CompleteAsync(first.Id, first.Version, "agent-1", null);

        var line = (await Cache.GetAsync(caja.BranchId))!.CounterLines(v1.Id).Single(l => l.ServiceId == caja.Id).Waiting;
        Assert.Equal([ordinary.Number, preferential.Number], line.Select(w => w.Number));
        Assert.Equal(ordinary.Number, (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!.Number);
    }

    [Fact]
    public async Task The_desk_reads_its_own_ticket_and_takes_the_line_from_the_shared_views()
    {
        var branchId = await BusyBranchAsync();
        var v3 = await h.CounterAsync("Ventanilla 3");
        var desk = (await h.Services.GetRequiredService<DeskQueries>().GetDeskAsync(v3.Id, "agent-3"))!;
        var views = (await Cache.GetAsync(branchId))!;
        Assert.Same(views.CounterLines(v3.Id), desk.Lines);
        Assert.Equal(["Información", "Asesoría de créditos", "Trámites y certificados"], desk.Lines.Select(l => l.ServiceName));
        Assert.Null(desk.Current); // transferred away
        Assert.Equal(branchId, desk.BranchId);
    }

    [Fact]
    public async Task Readers_share_one_computation_until_an_event_of_the_branch()
    {
        var branchId = await BusyBranchAsync();
        await Cache.GetAsync(branchId);
        var once = await Count(() => Cache.GetAsync(branchId, default), invalidate: branchId);
        Assert.True(once > 0);

        // Twenty readers at once, right after an event: one computation between them, the same result for all.
        commands.Reset();
        h.Notifier.Publish(new QueueEvent(branchId, QueueEventKind.TicketChanged));
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Cache.GetAsync(branchId))));
        Assert.Equal(once, commands.Count);
        Assert.All(all, v => Assert.Same(all[0], v));

        commands.Reset();
        Assert.Same(all[0], await Cache.GetAsync(branchId));
        Assert.Equal(0, commands.Count);
        h.Notifier.Publish(new QueueEvent(branchId + 1, QueueEventKind.TicketChanged)); // another branch: still valid
        Assert.Same(all[0], await Cache.GetAsync(branchId));

        await h.IssueAsync("Caja"); // a real change: the next read sees it
        var fresh = (await Cache.GetAsync(branchId))!;
        Assert.NotSame(all[0], fresh);
        Assert.Equal(all[0]!.Public.Lines.Single(l => l.Line.Name == "Caja").Line.Waiting + 1, fresh.Public.Lines.Single(l => l.Line.Name == "Caja").Line.Waiting);
    }

    [Fact]
    public async Task Screens_hear_an_event_after_the_views_were_invalidated_and_an_unknown_branch_is_null()
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        var before = (await Cache.GetAsync(branchId))!;
        var heard = new TaskCompletionSource<BranchViews?>();
        using var sub = Cache.Subscribe(branchId, async _ => heard.TrySetResult(await Cache.GetAsync(branchId)));
        await h.IssueAsync("Caja");
        var seen = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotSame(before, seen);
        Assert.Equal(1, seen!.Board.Lines.Single(l => l.Name == "Caja").Waiting);
        Assert.Null(await Cache.GetAsync(9999));
    }

    async Task<int> Count(Func<Task> read, int invalidate)
    {
        h.Notifier.Publish(new QueueEvent(invalidate, QueueEventKind.TicketChanged));
        commands.Reset();
        await read();
        return commands.Count;
    }
}
