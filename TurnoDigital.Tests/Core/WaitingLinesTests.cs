using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 17 §2: the estimator's kept copy of a branch's line (<see cref="WaitingLines"/>) is always the database's line.</summary>
public class WaitingLinesTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    WaitingLines Lines => h.Services.GetRequiredService<WaitingLines>();

    /// <summary>The kept line and a full read, as comparable rows (every field the call order uses).</summary>
    async Task<IReadOnlyList<Ticket>> AssertSameAsFullReadAsync(int branchId, DateOnly day)
    {
        await using var db = h.Db();
        var kept = await Lines.GetAsync(db, branchId, day, default);
        var full = await WaitingLines.ReadAsync(db, branchId, day, default);
        static object Row(Ticket t) => (t.Id, t.Version, t.ServiceId, t.Priority, t.DueAt, t.TargetCounterId, t.AssignedAgentId, t.AssignedCounterId, t.AssignedUntil);
        Assert.Equal(full.Select(Row).OrderBy(r => r.ToString()), kept.Select(Row).OrderBy(r => r.ToString()));
        return kept;
    }

    [Fact]
    public async Task The_kept_line_follows_issues_calls_transfers_and_changes_in_place_and_is_reused_while_nothing_changed()
    {
        var first = await h.TicketAsync((await h.IssueAsync("Caja")).Code);
        var (branchId, day) = (first.BranchId, first.ServiceDay);
        await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        await h.IssueAsync("Información");
        var before = await AssertSameAsFullReadAsync(branchId, day);
        Assert.Equal(3, before.Count);

        // Nothing changed: the same copies, not a new read.
        var again = await AssertSameAsFullReadAsync(branchId, day);
        Assert.All(before, t => Assert.Contains(again, k => ReferenceEquals(k, t)));

        // Newer tickets are added to the copy.
        await h.IssueAsync("Caja");
        var grown = await AssertSameAsFullReadAsync(branchId, day);
        Assert.Equal(4, grown.Count);
        Assert.All(before, t => Assert.Contains(grown, k => ReferenceEquals(k, t)));

        // A call takes one out; a transfer puts it back changed (another service, a version later).
        var v1 = await h.CounterAsync("Ventanilla 1");
        var called = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        var afterCall = await AssertSameAsFullReadAsync(branchId, day);
        Assert.DoesNotContain(afterCall, t => t.Id == called.Id);
        // The checksum's shortfall is the called ticket's term: the others are the same copies, not a new read.
        Assert.All(grown.Where(t => t.Id != called.Id), t => Assert.Contains(afterCall, k => ReferenceEquals(k, t)));
        var info = await h.ServiceAsync("Información");
        await h.Queue.TransferAsync(called.Id, called.Version, "agent-1", info.Id, null);
        var back = Assert.Single(await AssertSameAsFullReadAsync(branchId, day), t => t.Id == called.Id);
        Assert.Equal(info.Id, back.ServiceId);

        // A waiting ticket changed in place (as another node would write it: same place in the table, a version later).
        var v3 = await h.CounterAsync("Ventanilla 3");
        await using (var db = h.Db())
            await db.Tickets.Where(t => t.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.TargetCounterId, v3.Id).SetProperty(t => t.Version, t => t.Version + 1));
        Assert.Equal(v3.Id, Assert.Single(await AssertSameAsFullReadAsync(branchId, day), t => t.Id == first.Id).TargetCounterId);

        // One more walk-in, then calls at both counters until they find nothing they may call.
        await h.IssueAsync("Información");
        await AssertSameAsFullReadAsync(branchId, day);
        while (await h.Queue.CallNextAsync(v3.Id, $"agent-{Guid.NewGuid():N}") is not null) { }
        while (await h.Queue.CallNextAsync(v1.Id, $"agent-{Guid.NewGuid():N}") is not null) { }
        Assert.True((await AssertSameAsFullReadAsync(branchId, day)).Count < grown.Count);
    }

    [Fact]
    public async Task Two_tickets_that_left_are_never_taken_for_a_third_that_stayed()
    {
        // In a fresh database the tickets are 1, 2 and 3: with a term linear in the id, 1 and 2 would weigh what 3 weighs,
        // and the copy would drop 3 (the only one still waiting) for the two that were called.
        var tickets = new List<Ticket>();
        for (var i = 0; i < 3; i++) tickets.Add(await h.TicketAsync((await h.IssueAsync("Caja")).Code));
        Assert.Equal(tickets[0].Id + tickets[1].Id, tickets[2].Id);
        var (branchId, day) = (tickets[0].BranchId, tickets[0].ServiceDay);
        await AssertSameAsFullReadAsync(branchId, day);
        var v1 = await h.CounterAsync("Ventanilla 1");
        await h.Queue.CallNextAsync(v1.Id, "agent-1");
        await h.Queue.CallNextAsync(v1.Id, "agent-2");
        Assert.Equal(tickets[2].Id, Assert.Single(await AssertSameAsFullReadAsync(branchId, day)).Id);
    }

    [Fact]
    public async Task The_status_view_counts_the_same_people_ahead_as_the_line_in_the_database()
    {
        // Ordinary, preferential and another service's tickets: "ahead" comes from the kept line (WaitingLines), not a count query.
        await h.IssueAsync("Caja");
        await h.IssueAsync("Información");
        await h.IssueAsync("Caja");
        var preferential = await h.IssueAsync("Caja", PreferentialReason.Pregnancy);
        var last = await h.IssueAsync("Caja");
        Assert.Equal(0, preferential.PeopleAhead);
        Assert.Equal(3, last.PeopleAhead);
        Assert.Equal(3, (await h.Queries.GetStatusAsync(last.Code))!.PeopleAhead);
        var v1 = await h.CounterAsync("Ventanilla 1");
        await h.Queue.CallNextAsync(v1.Id, "agent-1"); // the preferential one
        Assert.Equal(2, (await h.Queries.GetStatusAsync(last.Code))!.PeopleAhead);
    }

    /// <summary>SQLite's plan for the very statement <paramref name="query"/> runs.</summary>
    static async Task<List<string>> PlanAsync<T>(TurnoDbContext db, IQueryable<T> query)
    {
        var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(reader.GetOrdinal("detail")));
        return plan;
    }

    [Fact]
    public async Task The_estimators_recent_completions_are_read_from_the_day_not_from_the_branchs_whole_history()
    {
        // The read runs for every status view, confirmation and "turn near": its cost must not grow with the days behind it.
        var t = await h.TicketAsync((await h.IssueAsync("Caja")).Code);
        await using var db = h.Db();
        var plan = await PlanAsync(db, WaitEstimator.RecentlyDone(db, t.BranchId, t.ServiceDay, 60));
        Assert.Contains(plan, p => p.Contains("ServiceDay=?") && p.Contains("Status=?"));
        // No sort of the rows found (ties on the close time are put in id order among themselves: "LAST TERM", bounded by the limit).
        Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE FOR ORDER BY"));
    }

    [Fact]
    public async Task The_kept_lines_check_reads_ids_and_versions_from_an_index_not_the_tickets_rows()
    {
        // The check runs on every status view and confirmation, over the whole line: an index that holds what it sums.
        var t = await h.TicketAsync((await h.IssueAsync("Caja")).Code);
        await using var db = h.Db();
        var plan = await PlanAsync(db, WaitingLines.Terms(db, t.BranchId, t.ServiceDay, t.Id));
        Assert.Contains(plan, p => p.Contains("COVERING INDEX") && p.Contains("ServiceDay=?") && p.Contains("Status=?"));
    }

    [Fact]
    public async Task Whether_anyone_in_the_line_left_a_number_is_one_seek_not_a_walk_through_the_line()
    {
        // Asked after every call; most lines have nobody who left a number, and proving it must not read every waiting ticket.
        var t = await h.TicketAsync((await h.IssueAsync("Caja")).Code);
        await using var db = h.Db();
        var plan = await PlanAsync(db, TurnoDigital.Core.WhatsApp.Notifications.InLineToTell(db, t));
        Assert.Contains(plan, p => p.Contains("IX_Tickets_WithCustomer") && p.Contains("ServiceDay=?"));
    }
}
