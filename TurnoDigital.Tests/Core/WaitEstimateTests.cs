using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Scheduling;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 14 §7: estimates from the agents really present (heartbeats, pauses), sharing their time among services.</summary>
public class WaitEstimateTests : IAsyncLifetime
{
    CoreHarness h = default!;
    string agent1 = "", agent2 = "";
    int v1, v3;
    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        await using var db = h.Db();
        agent1 = (await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno")).Id;
        agent2 = (await db.Users.SingleAsync(u => u.Email == "agente2@demo.turno")).Id;
        v1 = (await h.CounterAsync("Ventanilla 1")).Id; // Caja + Información
        v3 = (await h.CounterAsync("Ventanilla 3")).Id; // Información + Asesoría + Trámites
    }
    public async Task DisposeAsync() => await h.DisposeAsync();

    PresenceService Presence => h.Services.GetRequiredService<PresenceService>();

    async Task<int> LineEstimateAsync(string service) =>
        (await h.Queries.GetWalkInLinesAsync((await h.ServiceAsync(service)).BranchId, onlyWhenOpen: true)).Single(l => l.Name == service).EstimatedWaitMinutes;

    async Task TwoAgentsAndFourInInformationAsync()
    {
        for (var i = 0; i < 4; i++) await h.IssueAsync("Información"); // 3 min each by default
        await h.Sessions.OpenAsync(v1, agent1);
        await h.Sessions.OpenAsync(v3, agent2);
    }

    [Fact]
    public async Task A_desk_whose_heartbeat_stopped_does_not_count_and_is_ended_by_the_sweep()
    {
        await TwoAgentsAndFourInInformationAsync();
        Assert.Equal(6, await LineEstimateAsync("Información")); // 4 × 3 min ÷ 2 agents

        // Agent 2 closed the browser: only agent 1's desk keeps beating.
        for (var i = 0; i < 5; i++)
        {
            h.Clock.Advance(PresenceService.HeartbeatInterval);
            Assert.True(await Presence.HeartbeatAsync(v1, agent1));
        }
        Assert.Equal(12, await LineEstimateAsync("Información"));

        Assert.Equal(1, await Presence.EndStaleAsync());
        Assert.False(await Presence.HeartbeatAsync(v3, agent2));
        await using var db = h.Db();
        var ended = await db.CounterSessions.SingleAsync(s => s.AgentId == agent2);
        Assert.Equal(CoreHarness.Start.UtcDateTime, ended.EndedAt); // at its last beat
    }

    [Fact]
    public async Task A_minute_job_ends_the_desk_sessions_whose_heartbeat_stopped()
    {
        // Scheduled: a trigger every minute runs the sweep.
        var scheduler = await h.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await scheduler.GetTrigger(new TriggerKey("end-stale-sessions")));
        Assert.Equal(TimeSpan.FromMinutes(1), trigger.RepeatInterval);
        Assert.Equal(typeof(EndStaleSessionsJob), (await scheduler.GetJobDetail(trigger.JobKey))!.JobType);

        await TwoAgentsAndFourInInformationAsync();
        var job = ActivatorUtilities.CreateInstance<EndStaleSessionsJob>(h.Services);
        h.Clock.Advance(PresenceService.HeartbeatInterval);
        Assert.True(await Presence.HeartbeatAsync(v1, agent1));
        await job.Execute(null!, default); // within the gap: both sessions stay
        await using (var db = h.Db()) Assert.Equal(2, await db.CounterSessions.CountAsync(s => s.EndedAt == null));

        // Agent 2's circuit vanished without a clean end: after the heartbeat gap the next run ends it at its last beat.
        h.Clock.Advance(PresenceService.HeartbeatGap);
        Assert.True(await Presence.HeartbeatAsync(v1, agent1));
        await job.Execute(null!, default);
        await using (var db = h.Db())
        {
            var ended = await db.CounterSessions.SingleAsync(s => s.EndedAt != null);
            Assert.Equal((agent2, CoreHarness.Start.UtcDateTime), (ended.AgentId, ended.EndedAt));
        }
        Assert.Equal(12, await LineEstimateAsync("Información")); // 4 × 3 min ÷ agent 1 alone
        Assert.False(await Presence.HeartbeatAsync(v3, agent2)); // a late beat cannot revive it
        Assert.Equal(12, await LineEstimateAsync("Información"));
    }

    [Fact]
    public async Task A_paused_agent_does_not_count()
    {
        await TwoAgentsAndFourInInformationAsync();
        await h.Sessions.PauseAsync(v3, agent2, "Almuerzo");
        Assert.Equal(12, await LineEstimateAsync("Información"));
        await h.Sessions.ResumeAsync(v3, agent2);
        Assert.Equal(6, await LineEstimateAsync("Información"));
    }

    [Fact]
    public async Task An_agent_is_shared_among_the_services_of_their_counter()
    {
        await h.IssueAsync("Caja");
        await h.IssueAsync("Caja");
        await TwoAgentsAndFourInInformationAsync();
        // Call next runs across a counter's services: agent 1 takes the two earlier Caja tickets (4 min each) before
        // Información, agent 2 takes Información's first three, agent 1 its fourth at minute 8. A newcomer to Información
        // is called when agent 2 is free at 9; one to Caja when agent 1 is, at 8 + 3.
        Assert.Equal(9, await LineEstimateAsync("Información"));
        Assert.Equal(11, await LineEstimateAsync("Caja"));
    }

    [Fact]
    public async Task An_agent_in_a_long_turn_is_still_busy_for_part_of_one()
    {
        await h.Sessions.OpenAsync(v1, agent1);
        for (var i = 0; i < 3; i++) await h.IssueAsync("Información"); // 3 min each by default
        await h.Queue.CallNextAsync(v1, agent1);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2 + 3 + 3, await LineEstimateAsync("Información")); // what is left of the turn, then the two waiting
        for (var i = 0; i < 11; i++) // the desk keeps beating
        {
            h.Clock.Advance(TimeSpan.FromMinutes(1));
            await Presence.HeartbeatAsync(v1, agent1);
        }
        // Past its average the turn is not taken as over: a quarter of one (0.75 min) is still to go.
        Assert.Equal(7, await LineEstimateAsync("Información"));
    }

    [Fact]
    public async Task Higher_priority_tickets_of_another_service_sharing_the_counter_count_ahead()
    {
        await h.Sessions.OpenAsync(v1, agent1);
        await h.IssueAsync("Información");
        var second = await h.IssueAsync("Información");
        Assert.Equal(3, (await h.Queries.GetStatusAsync(second.Code))!.EstimatedWaitMinutes);
        await h.IssueAsync("Caja"); // ordinary and later: Ventanilla 1 calls it after
        Assert.Equal(3, (await h.Queries.GetStatusAsync(second.Code))!.EstimatedWaitMinutes);
        await h.IssueAsync("Caja", PreferentialReason.OlderAdult); // preferential: called before, though later
        Assert.Equal(3 + 4, (await h.Queries.GetStatusAsync(second.Code))!.EstimatedWaitMinutes);
    }

    [Fact]
    public async Task The_desk_beats_while_connected_and_its_session_ends_when_the_circuit_goes_away()
    {
        await h.Sessions.OpenAsync(v1, agent1);
        using var desk = new DeskPresence(Presence, h.Clock, NullLogger<DeskPresence>.Instance);
        desk.Attach(v1, agent1);
        async Task<DateTime> LastSeenAsync()
        {
            await using var db = h.Db();
            return await db.CounterSessions.Where(s => s.CounterId == v1).Select(s => s.LastSeenAt).SingleAsync();
        }
        async Task WaitForBeatAsync(DateTime at)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await LastSeenAsync() != at && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(at, await LastSeenAsync());
        }

        h.Clock.Advance(PresenceService.HeartbeatInterval);
        await WaitForBeatAsync(h.Clock.GetUtcNow().UtcDateTime);
        var beat = h.Clock.GetUtcNow().UtcDateTime;

        await desk.OnConnectionDownAsync(null!, default); // no beats while the connection is down
        h.Clock.Advance(PresenceService.HeartbeatGap);
        Assert.Equal(beat, await LastSeenAsync());
        await desk.OnConnectionUpAsync(null!, default);   // a reconnect beats again at once
        h.Clock.Advance(TimeSpan.Zero);
        await WaitForBeatAsync(h.Clock.GetUtcNow().UtcDateTime);

        await desk.OnCircuitClosedAsync(null!, default);
        await using var check = h.Db();
        Assert.NotNull((await check.CounterSessions.SingleAsync(s => s.CounterId == v1)).EndedAt);
    }
}
