using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 15 §2: an appointment's ticket goes first to its assigned agent (or counter), then to anyone after a wait.</summary>
public class AssignedAgentTests : IAsyncLifetime
{
    CoreHarness h = default!;
    string agent1 = "", agent2 = "";
    int v2, v3; // both serve Trámites y certificados
    DateTime start;

    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        await using var db = h.Db();
        agent1 = (await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno")).Id;
        agent2 = (await db.Users.SingleAsync(u => u.Email == "agente2@demo.turno")).Id;
        v2 = (await h.CounterAsync("Ventanilla 2")).Id;
        v3 = (await h.CounterAsync("Ventanilla 3")).Id;
        start = CoreHarness.Start.UtcDateTime.AddMinutes(40);
    }
    public async Task DisposeAsync() => await h.DisposeAsync();

    BookingService Bookings => h.Services.GetRequiredService<BookingService>();
    CheckInService CheckIns => h.Services.GetRequiredService<CheckInService>();
    PresenceService Presence => h.Services.GetRequiredService<PresenceService>();

    async Task SetAsync(AgentAssignment assignment, int releaseMinutes = 5)
    {
        var settings = ServiceSettings.From(await h.ServiceAsync("Trámites y certificados"));
        (settings.AgentAssignment, settings.AssignedReleaseMinutes) = (assignment, releaseMinutes);
        settings.CapacityPerSlot = 4; // several people at the same time
        await h.Services.GetRequiredService<OrganizationAdmin>().UpdateServiceAsync(settings, "admin-1");
    }

    async Task<AppointmentView> BookAsync(string document, string name, string? agentId = null, int? counterId = null)
    {
        var tramites = await h.ServiceAsync("Trámites y certificados");
        return await Bookings.BookAsync(new BookingRequest(tramites.BranchId, tramites.Id, start, Channel.InPerson,
            new IntakeInput(DocumentType.CC, document, name, "3001234567", "persona@example.co")
                { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } }, Guid.NewGuid(), DataPolicyAccepted: true,
            AssignedAgentId: agentId, AssignedCounterId: counterId));
    }

    /// <summary>Checks in at the kiosk at the appointment's start; its ticket.</summary>
    async Task<Ticket> CheckInAsync(AppointmentView booked)
    {
        if (h.Clock.GetUtcNow().UtcDateTime < start) h.Clock.SetUtcNow(start);
        var result = await CheckIns.CheckInAsync(booked.Id, Channel.Kiosk);
        return await h.TicketAsync(result.Ticket!.Code);
    }

    /// <summary>Time passes while both desks stay open (they beat).</summary>
    async Task PassAsync(TimeSpan time)
    {
        for (var left = time; left > TimeSpan.Zero; left -= PresenceService.HeartbeatInterval)
        {
            h.Clock.Advance(left < PresenceService.HeartbeatInterval ? left : PresenceService.HeartbeatInterval);
            await Presence.HeartbeatAsync(v2, agent1);
            await Presence.HeartbeatAsync(v3, agent2);
        }
    }

    async Task BothDesksOpenAsync()
    {
        h.Clock.SetUtcNow(start);
        await h.Sessions.OpenAsync(v2, agent1);
        await h.Sessions.OpenAsync(v3, agent2);
    }

    [Fact]
    public async Task The_assigned_agent_gets_the_appointment_first_while_another_agent_gets_the_walk_in_behind_it()
    {
        await SetAsync(AgentAssignment.AtBooking);
        var booked = await BookAsync("1020304050", "María Pérez", agentId: agent1);
        await BothDesksOpenAsync();
        var ticket = await CheckInAsync(booked);                          // D-001, appointment priority
        Assert.Equal((agent1, start.AddMinutes(5)), (ticket.AssignedAgentId, ticket.AssignedUntil));
        await h.IssueAsync("Trámites y certificados", intake: new IntakeInput(DocumentType.CC, "52000111", "Ana Ruiz", "3109876543", "ana@example.co")
            { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } }); // D-002, ordinary

        Assert.Equal("D-002", (await h.Queue.CallNextAsync(v3, agent2))!.Number); // the appointment is held for agent 1
        Assert.Equal("D-001", (await h.Queue.CallNextAsync(v2, agent1))!.Number);
    }

    [Fact]
    public async Task Another_agent_cannot_take_it_before_the_wait_and_anyone_serving_the_service_can_after_it()
    {
        await SetAsync(AgentAssignment.AtBooking, releaseMinutes: 5);
        var booked = await BookAsync("1020304050", "María Pérez", agentId: agent1);
        await BothDesksOpenAsync();
        await CheckInAsync(booked);

        Assert.Null(await h.Queue.CallNextAsync(v3, agent2));
        await PassAsync(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));
        Assert.Null(await h.Queue.CallNextAsync(v3, agent2));
        await PassAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("D-001", (await h.Queue.CallNextAsync(v3, agent2))!.Number);
    }

    [Fact]
    public async Task An_assigned_agent_who_is_not_signed_in_holds_nothing()
    {
        await SetAsync(AgentAssignment.AtBooking);
        var absent = await BookAsync("1020304050", "María Pérez", agentId: agent1);
        var leaving = await BookAsync("1020304051", "Pedro Gil", agentId: agent1);
        h.Clock.SetUtcNow(start);
        await h.Sessions.OpenAsync(v3, agent2); // agent 1 never signed in

        var ticket = await CheckInAsync(absent);
        Assert.Equal(start, ticket.AssignedUntil); // released at once
        var t = (await h.Queue.CallNextAsync(v3, agent2))!;
        Assert.Equal("D-001", t.Number);
        t = await h.Queue.StartAsync(t.Id, t.Version, agent2);
        await h.Queue.CompleteAsync(t.Id, t.Version, agent2, null);
        await using (var db = h.Db())
            Assert.False(JsonDocument.Parse((await db.JourneyEvents.SingleAsync(e => e.TicketId == ticket.Id && e.Kind == JourneyEventKind.AssignedAgentNotified)).Data!)
                .RootElement.GetProperty("signedIn").GetBoolean());

        // Signed in at the check-in, then gone: the hold ends with the session.
        await h.Sessions.OpenAsync(v2, agent1);
        var held = await CheckInAsync(leaving);
        Assert.Equal(start.AddMinutes(5), held.AssignedUntil);
        Assert.Null(await h.Queue.CallNextAsync(v3, agent2));
        await h.Sessions.CloseAsync(v2, agent1);
        Assert.Equal("D-002", (await h.Queue.CallNextAsync(v3, agent2))!.Number);
    }

    [Fact]
    public async Task A_counter_assignment_holds_the_ticket_for_whoever_is_at_that_counter()
    {
        await SetAsync(AgentAssignment.AtBooking);
        var booked = await BookAsync("1020304050", "María Pérez", counterId: v3);
        await BothDesksOpenAsync();
        var ticket = await CheckInAsync(booked);
        Assert.Equal((null, v3), (ticket.AssignedAgentId, ticket.AssignedCounterId));
        Assert.Null(await h.Queue.CallNextAsync(v2, agent1));
        Assert.Equal("D-001", (await h.Queue.CallNextAsync(v3, agent2))!.Number);
    }

    [Fact]
    public async Task Round_robin_spreads_check_ins_over_the_agents_signed_in_to_a_counter_serving_the_service()
    {
        await SetAsync(AgentAssignment.RoundRobin);
        var booked = new List<AppointmentView>();
        string[] names = ["Ana Uno", "Beto Dos", "Carla Tres", "Dario Cuatro"];
        for (var i = 0; i < 4; i++) booked.Add(await BookAsync($"103040500{i}", names[i]));
        await BothDesksOpenAsync();
        var assigned = new List<string?>();
        foreach (var b in booked) assigned.Add((await CheckInAsync(b)).AssignedAgentId);
        // In turn: each agent once, then again in the same order.
        Assert.Equal(new[] { agent1, agent2 }.Order(), assigned.Take(2).Order());
        Assert.Equal(assigned.Take(2), assigned.Skip(2));
    }

    [Fact]
    public async Task The_journey_records_whom_the_check_in_notified_and_only_that_desk_gets_the_name()
    {
        await SetAsync(AgentAssignment.AtBooking);
        var booked = await BookAsync("1020304050", "María Pérez", agentId: agent1);
        await BothDesksOpenAsync();
        h.Notifier.Events.Clear();
        var ticket = await CheckInAsync(booked);

        await using var db = h.Db();
        var e = await db.JourneyEvents.SingleAsync(x => x.TicketId == ticket.Id && x.Kind == JourneyEventKind.AssignedAgentNotified);
        Assert.Equal(start, e.At);
        var data = JsonDocument.Parse(e.Data!).RootElement;
        Assert.Equal(agent1, data.GetProperty("agentId").GetString());
        Assert.True(data.GetProperty("signedIn").GetBoolean());
        Assert.DoesNotContain("María", e.Data);

        // The live event is the branch's "appointment arrived" with the ticket id; the name is read only by the assignee's desk.
        Assert.Contains(h.Notifier.Events, x => x.Kind == QueueEventKind.AppointmentArrived && x.TicketId == ticket.Id);
        var mine = await CheckIns.AssignedArrivalAsync(ticket.Id, v2, agent1);
        Assert.Equal(("María Pérez", "D-001", BranchTime.ToLocal(start, BranchTime.Zone(null))), (mine!.PersonName, mine.Number, mine.AppointmentLocal));
        Assert.Null(await CheckIns.AssignedArrivalAsync(ticket.Id, v3, agent2));
    }

    [Fact]
    public async Task A_booking_may_be_assigned_only_where_the_service_offers_it_and_only_to_its_branch_agents_and_counters()
    {
        var refused = await Assert.ThrowsAsync<DomainException>(() => BookAsync("1020304050", "María Pérez", agentId: agent1));
        Assert.Equal("Booking.AssignmentNotOffered", refused.Code);
        await SetAsync(AgentAssignment.AtBooking);
        var unknown = await Assert.ThrowsAsync<DomainException>(() => BookAsync("1020304050", "María Pérez", agentId: "nobody"));
        Assert.Contains("asesor", unknown.Message);
        var v1 = (await h.CounterAsync("Ventanilla 1")).Id; // Caja and Información only
        await Assert.ThrowsAsync<DomainException>(() => BookAsync("1020304050", "María Pérez", counterId: v1));
        var tramites = await h.ServiceAsync("Trámites y certificados");
        var options = await Bookings.AssignmentOptionsAsync(tramites.BranchId, tramites.Id);
        Assert.Equal(new[] { agent1, agent2 }.Order(), options.Agents.Select(a => a.Id).Order());
        Assert.Equal(new[] { v2.ToString(), v3.ToString() }.Order(), options.Counters.Select(c => c.Id).Order());
    }

    [Fact]
    public void The_estimator_replays_the_hold_another_agent_waits_for_the_release_unless_the_assignee_is_not_signed_in()
    {
        var now = CoreHarness.Start.UtcDateTime;
        var average = new Dictionary<int, double> { [1] = 10 };
        // Agent a is busy for 10 more minutes; agent b is free. The one waiting ticket is held for a until now + 5.
        var agents = new[] { new PresentAgent(1, [1], 1, now, "a"), new PresentAgent(2, [1], AgentId: "b") };
        var held = new WaitingTicket(1, 1, now, 0, 0, AssignedAgentId: "a", AssignedUntil: now.AddMinutes(5));
        Assert.Equal(5, new BranchWaitModel(now, agents, average, [held]).Minutes(1, 0));
        Assert.Equal(0, new BranchWaitModel(now, agents, average, [held with { AssignedAgentId = "b" }]).Minutes(1, 0));
        Assert.Equal(0, new BranchWaitModel(now, agents, average, [held with { AssignedUntil = now }]).Minutes(1, 0));
        // a signed out: nobody waits for them.
        var signedIn = new CallOrder([], []) { SignedInAgents = ["b"], StaffedCounters = [2] };
        Assert.Equal(0, new BranchWaitModel(now, agents.Skip(1).ToList(), average, [held], signedIn).Minutes(1, 0));
        // A ticket behind the held one is taken by b first.
        var behind = new WaitingTicket(1, 2, now.AddMinutes(1), 4, 4);
        var model = new BranchWaitModel(now, agents, average, [held, behind]);
        Assert.Equal(0, model.Minutes(1, 0));
        Assert.Equal(10, model.Minutes(1, 1));
    }

    [Fact]
    public async Task The_line_estimate_from_the_database_replays_the_hold()
    {
        await SetAsync(AgentAssignment.AtBooking);
        var booked = await BookAsync("1020304050", "María Pérez", agentId: agent1);
        await BothDesksOpenAsync();
        await h.Sessions.PauseAsync(v2, agent1, "Almuerzo"); // signed in but paused: holds its ticket, serves nobody
        var ticket = await CheckInAsync(booked);
        Assert.Equal(start.AddMinutes(5), ticket.AssignedUntil);
        // A newcomer behind the held appointment is called by agent 2 at once (Call next skips the hold)…
        Assert.Equal(0, await TramitesEstimateAsync());
        // …but once agent 1 leaves, agent 2 takes the appointment first (8 min by default) and the newcomer waits for it.
        await h.Sessions.CloseAsync(v2, agent1);
        Assert.Equal(8, await TramitesEstimateAsync());
    }

    async Task<int> TramitesEstimateAsync() => (await h.Queries.GetWalkInLinesAsync((await h.ServiceAsync("Trámites y certificados")).BranchId, onlyWhenOpen: true))
        .Single(l => l.Name == "Trámites y certificados").EstimatedWaitMinutes;
}
