using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

public class QueueServiceTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Numbers_count_up_per_service_and_restart_the_next_local_day()
    {
        Assert.Equal("A-001", (await h.IssueAsync("Caja")).Number);
        Assert.Equal("A-002", (await h.IssueAsync("Caja")).Number);
        Assert.Equal("B-001", (await h.IssueAsync("Información")).Number);

        h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 26, 4, 59, 0, TimeSpan.Zero)); // 23:59 Bogotá, same day
        Assert.Equal("A-003", (await h.IssueAsync("Caja")).Number);
        h.Clock.Advance(TimeSpan.FromMinutes(1)); // midnight in Bogotá
        Assert.Equal("A-001", (await h.IssueAsync("Caja")).Number);
    }

    [Fact]
    public async Task A_double_tap_with_the_same_request_issues_one_ticket()
    {
        var caja = await h.ServiceAsync("Caja");
        var request = new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid());
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => h.Queue.IssueAsync(request)));
        Assert.Single(results.Select(r => r.Code).Distinct());
        await using var db = h.Db();
        Assert.Equal(1, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task Schedulable_only_service_gives_no_walk_in_tickets()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Asesoría de créditos"));
        Assert.Contains("sin cita", ex.Message);
    }

    [Fact]
    public async Task Whatsapp_number_needs_consent_and_is_stored_in_E164_with_the_consent_record()
    {
        var caja = await h.ServiceAsync("Caja");
        await Assert.ThrowsAsync<DomainException>(() => h.Queue.IssueAsync(
            new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3001234567", WhatsAppConsent: false)));
        await Assert.ThrowsAsync<DomainException>(() => h.Queue.IssueAsync(
            new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "123", WhatsAppConsent: true)));

        var issued = await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(),
            WhatsAppPhone: "300 123 4567", WhatsAppConsent: true));

        await using var db = h.Db();
        var customer = await db.Customers.Include(c => c.Consents).SingleAsync();
        Assert.Equal("+573001234567", customer.Phone?.Value);
        var consent = Assert.Single(customer.Consents);
        Assert.Equal(ConsentRecord.WhatsAppTicketUpdates, consent.Purpose);
        Assert.Equal(Channel.Kiosk, consent.Channel);
        Assert.Equal(CoreHarness.Start.UtcDateTime, consent.GivenAt);
        Assert.Equal(customer.Id, (await db.Tickets.SingleAsync()).CustomerId);
        Assert.Equal("A-001", issued.Number);
    }

    [Fact]
    public async Task Call_next_takes_preferential_first_then_first_come()
    {
        var first = await h.IssueAsync("Caja");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await h.IssueAsync("Información");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var preferential = await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        var counter = await h.CounterAsync("Ventanilla 1"); // serves Caja and Información

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var t = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
            order.Add(t.Number);
            var started = await h.Queue.StartAsync(t.Id, t.Version, "agent-1");
            await h.Queue.CompleteAsync(started.Id, started.Version, "agent-1", null);
        }
        Assert.Equal([preferential.Number, first.Number, second.Number], order);
        Assert.Null(await h.Queue.CallNextAsync(counter.Id, "agent-1"));
    }

    [Fact]
    public async Task People_ahead_counts_only_those_called_before_me()
    {
        await h.IssueAsync("Caja");
        await h.IssueAsync("Caja");
        var pref = await h.IssueAsync("Caja", PreferentialReason.Pregnancy);
        var last = await h.IssueAsync("Caja");
        Assert.Equal(0, pref.PeopleAhead);
        Assert.Equal(3, last.PeopleAhead);
        Assert.True(last.EstimatedWaitMinutes > 0);
    }

    [Fact]
    public async Task Estimate_uses_todays_real_service_times_and_the_agents_serving()
    {
        var caja = await h.ServiceAsync("Caja");
        var counter = await h.CounterAsync("Ventanilla 1");
        await h.Services.AgentsAsync("agent-1");
        await h.Sessions.OpenAsync(counter.Id, "agent-1");
        var served = await h.IssueAsync("Caja");
        var t = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
        t = await h.Queue.StartAsync(t.Id, t.Version, "agent-1");
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        await h.Queue.CompleteAsync(t.Id, t.Version, "agent-1", null);

        await h.IssueAsync("Caja");
        var third = await h.IssueAsync("Caja");
        Assert.Equal(1, third.PeopleAhead);
        Assert.Equal(10, third.EstimatedWaitMinutes); // one person × 10 min ÷ one agent (default would be 4)
        Assert.Equal(4, caja.DefaultServiceMinutes);
        Assert.NotNull(served);
    }

    [Fact]
    public async Task Concurrent_call_next_hands_every_ticket_to_exactly_one_agent()
    {
        var caja = await h.ServiceAsync("Caja");
        for (var i = 0; i < 200; i++)
            await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid()));
        var counters = new[] { await h.CounterAsync("Ventanilla 1"), await h.CounterAsync("Ventanilla 2") };

        var calledBy = new System.Collections.Concurrent.ConcurrentBag<(long Ticket, string Agent)>();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(agent => Task.Run(async () =>
        {
            var agentId = $"agent-{agent}";
            var counterId = counters[agent % 2].Id;
            while (await h.Queue.CallNextAsync(counterId, agentId) is { } t)
            {
                calledBy.Add((t.Id, agentId));
                // Close it so the agent may call the next one.
                var started = await h.Queue.StartAsync(t.Id, t.Version, agentId);
                await h.Queue.CompleteAsync(started.Id, started.Version, agentId, null);
            }
        })));

        Assert.Equal(200, calledBy.Count);
        Assert.Equal(200, calledBy.Select(c => c.Ticket).Distinct().Count());
        await using var db = h.Db();
        Assert.Equal(200, await db.Tickets.CountAsync(t => t.Status == TicketStatus.Completed));
        Assert.Equal(200, await db.JourneyEvents.CountAsync(e => e.Kind == JourneyEventKind.TicketCalled));
        Assert.True(calledBy.Select(c => c.Agent).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Transfer_keeps_the_original_issue_time_in_the_new_line()
    {
        var early = await h.IssueAsync("Caja");
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var later = await h.IssueAsync("Información");
        var v1 = await h.CounterAsync("Ventanilla 1");
        var v3 = await h.CounterAsync("Ventanilla 3");

        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        Assert.Equal(early.Number, t.Number);
        var info = await h.ServiceAsync("Información");
        await h.Queue.TransferAsync(t.Id, t.Version, "agent-1", info.Id, null);

        // In the Información line the transferred ticket, issued earlier, goes first.
        var next = (await h.Queue.CallNextAsync(v3.Id, "agent-3"))!;
        Assert.Equal(early.Number, next.Number);
        Assert.Equal(CoreHarness.Start.UtcDateTime, next.IssuedAt);
        Assert.NotEqual(later.Number, next.Number);
        await using var db = h.Db();
        var transfer = await db.JourneyEvents.SingleAsync(e => e.Kind == JourneyEventKind.TicketTransferred);
        Assert.Equal(v1.Id, transfer.CounterId);
        Assert.Contains($"\"toServiceId\":{info.Id}", transfer.Data);
    }

    [Fact]
    public async Task Transfer_to_a_counter_is_called_only_there()
    {
        await h.IssueAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        var v2 = await h.CounterAsync("Ventanilla 2");
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        var caja = await h.ServiceAsync("Caja");
        await h.Queue.TransferAsync(t.Id, t.Version, "agent-1", caja.Id, v2.Id);

        Assert.Null(await h.Queue.CallNextAsync(v1.Id, "agent-1"));
        Assert.Equal(t.Id, (await h.Queue.CallNextAsync(v2.Id, "agent-2"))!.Id);
    }

    [Fact]
    public async Task Transfer_to_a_counter_that_does_not_serve_the_service_is_refused()
    {
        await h.IssueAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        var v3 = await h.CounterAsync("Ventanilla 3"); // no Caja there
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        var caja = await h.ServiceAsync("Caja");
        await Assert.ThrowsAsync<DomainException>(() => h.Queue.TransferAsync(t.Id, t.Version, "agent-1", caja.Id, v3.Id));
    }

    [Fact]
    public async Task An_action_on_a_ticket_that_changed_meanwhile_gets_a_clear_message()
    {
        await h.IssueAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        await h.Queue.RecallAsync(t.Id, t.Version, "agent-1");
        var ex = await Assert.ThrowsAsync<StaleStateException>(() => h.Queue.StartAsync(t.Id, t.Version, "agent-1"));
        Assert.Contains("cambió mientras tanto", ex.Message);
    }

    [Fact]
    public async Task Agent_must_close_the_current_ticket_and_not_be_paused_to_call_next()
    {
        await h.IssueAsync("Caja");
        await h.IssueAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        await h.Services.AgentsAsync("agent-1");
        await h.Sessions.OpenAsync(v1.Id, "agent-1");
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        await Assert.ThrowsAsync<DomainException>(() => h.Queue.CallNextAsync(v1.Id, "agent-1"));
        t = await h.Queue.RecallAsync(t.Id, t.Version, "agent-1");
        await h.Queue.NoShowAsync(t.Id, t.Version, "agent-1");

        await h.Sessions.PauseAsync(v1.Id, "agent-1", "Almuerzo");
        var paused = await Assert.ThrowsAsync<DomainException>(() => h.Queue.CallNextAsync(v1.Id, "agent-1"));
        Assert.Contains("pausa", paused.Message);
        await h.Sessions.ResumeAsync(v1.Id, "agent-1");
        Assert.NotNull(await h.Queue.CallNextAsync(v1.Id, "agent-1"));
    }

    [Fact]
    public async Task Every_step_is_a_journey_event_with_the_channel()
    {
        var issued = await h.IssueAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        t = await h.Queue.RecallAsync(t.Id, t.Version, "agent-1");
        t = await h.Queue.StartAsync(t.Id, t.Version, "agent-1");
        await h.Queue.CompleteAsync(t.Id, t.Version, "agent-1", "ok");

        await using var db = h.Db();
        var kinds = await db.JourneyEvents.Where(e => e.TicketId == t.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        Assert.Equal([JourneyEventKind.TicketIssued, JourneyEventKind.TicketCalled, JourneyEventKind.TicketRecalled,
            JourneyEventKind.ServiceStarted, JourneyEventKind.ServiceCompleted], kinds);
        Assert.All(await db.JourneyEvents.ToListAsync(), e => Assert.Equal(Channel.Kiosk, e.Channel));
        Assert.Contains(h.Notifier.Events, e => e.Kind == QueueEventKind.TicketCalled && e.TicketId == t.Id);
        Assert.Equal("A-001", issued.Number);
    }

    [Fact]
    public async Task Day_close_expires_what_is_left_waiting_or_called()
    {
        var waiting = await h.IssueAsync("Caja");
        var called = await h.IssueAsync("Información");
        var v3 = await h.CounterAsync("Ventanilla 3");
        await h.Queue.CallNextAsync(v3.Id, "agent-3");

        Assert.Equal(0, await h.Queue.ExpireLeftoversAsync()); // same day, demo branch open all day
        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(2, await h.Queue.ExpireLeftoversAsync());
        Assert.Equal(0, await h.Queue.ExpireLeftoversAsync()); // idempotent

        Assert.Equal(TicketStatus.Expired, (await h.TicketAsync(waiting.Code)).Status);
        Assert.Equal(TicketStatus.Expired, (await h.TicketAsync(called.Code)).Status);
        await using var db = h.Db();
        Assert.Equal(2, await db.JourneyEvents.CountAsync(e => e.Kind == JourneyEventKind.TicketExpired));
    }

    [Fact]
    public async Task Day_close_after_closing_time_of_a_branch_with_hours()
    {
        await h.OpenEightToFiveAsync();
        var t = await h.IssueAsync("Caja"); // 10:00
        h.Clock.Advance(TimeSpan.FromHours(6)); // 16:00
        Assert.Equal(0, await h.Queue.ExpireLeftoversAsync());
        h.Clock.Advance(TimeSpan.FromHours(1)); // 17:00, closed: no new tickets, but whoever is in line stays until the day ends
        Assert.Equal(0, await h.Queue.ExpireLeftoversAsync());
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja"));
        Assert.Contains("cerrada", ex.Message);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(t.Code)).Status);
        h.Clock.Advance(TimeSpan.FromHours(7)); // midnight
        Assert.Equal(1, await h.Queue.ExpireLeftoversAsync());
        Assert.Equal(TicketStatus.Expired, (await h.TicketAsync(t.Code)).Status);
    }

    [Fact]
    public async Task Status_view_has_no_personal_data_and_unknown_codes_are_null()
    {
        var caja = await h.ServiceAsync("Caja");
        var issued = await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(),
            WhatsAppPhone: "3001234567", WhatsAppConsent: true));
        var text = System.Text.Json.JsonSerializer.Serialize(await h.Queries.GetStatusAsync(issued.Code));
        Assert.DoesNotContain("300", text.Replace("\"Code\"", ""));
        Assert.Null(await h.Queries.GetStatusAsync("nope"));
        Assert.Null(await h.Queries.GetStatusAsync(new string('x', 500)));
    }

    [Fact]
    public async Task Demo_seeding_is_idempotent_across_restarts()
    {
        await h.Services.InitializeTurnoDatabaseAsync();
        await h.Services.InitializeTurnoDatabaseAsync();
        await using var db = h.Db();
        Assert.Equal(1, await db.Branches.CountAsync());
        Assert.Equal(4, await db.Services.CountAsync());
        Assert.Equal(3, await db.Counters.CountAsync());
        Assert.Equal(4, await db.Users.CountAsync());
        Assert.Equal(2, await db.Devices.CountAsync());
        Assert.Equal(3, await db.Roles.CountAsync());
    }

    [Fact]
    public async Task Agents_limited_to_some_branches_only_see_and_open_their_counters()
    {
        var v1 = await h.CounterAsync("Ventanilla 1");
        await using (var db = h.Db())
        {
            var other = new Branch { Name = "Sede Norte", Hours = Branch.AllWeek(0, 1440) };
            db.Branches.Add(other);
            await db.SaveChangesAsync();
            db.Counters.Add(new Counter { BranchId = other.Id, Name = "Módulo 1" });
            var agent = new TurnoDigital.Core.Identity.AppUser { UserName = "norte@demo.turno", Email = "norte@demo.turno" };
            db.Users.Add(agent);
            db.UserBranches.Add(new UserBranch { UserId = agent.Id, BranchId = other.Id });
            await db.SaveChangesAsync();
        }
        string agentId;
        await using (var db = h.Db()) agentId = await db.Users.Where(u => u.Email == "norte@demo.turno").Select(u => u.Id).SingleAsync();

        Assert.Equal(["Módulo 1"], (await h.Queries.GetCountersAsync(agentId)).Select(c => c.Name));
        Assert.Empty(await h.Queries.GetCountersAsync("someone-without-branches")); // fails closed
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.Sessions.OpenAsync(v1.Id, agentId));
        Assert.Contains("No tiene acceso", ex.Message);
    }
}
