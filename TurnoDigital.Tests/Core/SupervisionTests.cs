using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>The panel's KPIs on <see cref="SupervisionData"/>; every expected number is worked out by hand in the comments.</summary>
public class SupervisionTests : IAsyncLifetime
{
    CoreHarness h = default!;
    SupervisionData.Seeded data = default!;
    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        data = await SupervisionData.SeedAsync(h);
    }
    public async Task DisposeAsync() => await h.DisposeAsync();
    PanelQueries Panel => h.Services.GetRequiredService<PanelQueries>();

    static void Near(double expected, double? actual) => Assert.True(actual is { } a && Math.Abs(a - expected) < 0.001, $"expected {expected}, got {actual}");

    [Fact]
    public async Task Today_per_channel_follows_the_kpi_definitions()
    {
        var today = await Panel.GetTodayAsync(data.BranchId);
        Assert.Equal(SupervisionData.Day, today.Day);
        Assert.Equal(Enum.GetNames<Channel>(), today.ByChannel.Select(r => r.Key));

        var kiosk = today.ByChannel.Single(r => r.Key == "Kiosk");
        // 6 in Caja (one still waiting) + 5 in Información; the remote ticket that never arrived is not a visitor.
        Assert.Equal(11, kiosk.Visitors);
        Assert.Equal(10, kiosk.Called);
        Near(4.5, kiosk.AvgWaitMinutes);           // (2+4+6+8+20 + 5×1) / 10
        Near(8, kiosk.P90WaitMinutes);              // sorted 1,1,1,1,1,2,4,6,8,20: rank ⌈0.9·10⌉ = 9 → 8
        Assert.Equal(9, kiosk.Served);              // the no-show is called but not served
        Near(28.0 / 9, kiosk.AvgServiceMinutes);    // (4+6+5+3 + 5×2) / 9
        Near(4, kiosk.AvgRating);                   // (5+3+4) / 3
        Assert.Equal(3, kiosk.Ratings);
        Assert.Null(kiosk.NoShowRate);

        var wa = today.ByChannel.Single(r => r.Key == "WhatsApp");
        Assert.Equal(2, wa.Visitors);
        Near(1.75, wa.AvgWaitMinutes);              // (3 + 0.5) / 2: an early check-in waits from the slot's start
        Near(3, wa.P90WaitMinutes);                 // rank ⌈1.8⌉ = 2 → 3
        Assert.Equal(1, wa.Served);
        Near(10, wa.AvgServiceMinutes);
        Near(2, wa.AvgRating);
        Assert.Equal(3, wa.AppointmentsBooked);     // created today at 6:00 (later cancelled), 7:00 and 8:00
        Assert.Equal(2, wa.CheckedIn);
        Near(1.0 / 3, wa.NoShowRate);               // 1 no-show ÷ 3 decided; the cancelled and the 15:00 one are not due

        var web = today.ByChannel.Single(r => r.Key == "Web");
        Assert.Equal(0, web.Visitors);
        Assert.Null(web.AvgWaitMinutes);
        Near(1, web.NoShowRate);

        Near(48.5 / 12, today.Total.AvgWaitMinutes);
        Near(8, today.Total.P90WaitMinutes);        // 0.5,1,1,1,1,1,2,3,4,6,8,20: rank ⌈10.8⌉ = 11 → 8
        Assert.Equal(13, today.Total.Visitors);
        Assert.Equal(4, today.Total.Ratings);
    }

    [Fact]
    public async Task Today_per_service_wait_distribution_and_arrivals()
    {
        var today = await Panel.GetTodayAsync(data.BranchId);
        var caja = today.ByService.Single(r => r.Key == "Caja");
        Assert.Equal(6, caja.Visitors);
        Near(8, caja.AvgWaitMinutes);
        Near(20, caja.P90WaitMinutes);              // n = 5: rank 5 is the longest
        Near(4.5, caja.AvgServiceMinutes);          // (4+6+5+3) / 4
        var asesoria = today.ByService.Single(r => r.Key == "Asesoría de créditos");
        Near(0.5, asesoria.NoShowRate);             // WhatsApp 1 + Web 1 no-shows ÷ 4 decided
        Assert.Equal(3, asesoria.AppointmentsBooked);

        // [0,5): 0.5, 1×5, 2, 3, 4 · [5,10): 6, 8 · [20,30): 20 (exactly 20 falls in the upper bucket).
        Assert.Equal([9, 2, 0, 0, 1, 0, 0, 0], today.WaitDistribution.Select(b => b.Count));
        Assert.Equal(0, today.WaitDistribution[0].FromMinutes);
        Assert.Null(today.WaitDistribution[^1].ToMinutes);

        Assert.Equal(5, today.ArrivalsByHour[Channel.Kiosk][8]);
        Assert.Equal(6, today.ArrivalsByHour[Channel.Kiosk][9]);
        Assert.Equal(1, today.ArrivalsByHour[Channel.WhatsApp][8]);
        Assert.Equal(1, today.ArrivalsByHour[Channel.WhatsApp][9]);
        Assert.Equal(13, today.ArrivalsByHour.Values.Sum(h => h.Sum()));
    }

    [Fact]
    public async Task Now_shows_lines_against_target_and_agents_with_their_state()
    {
        var now = await Panel.GetNowAsync(data.BranchId);
        var caja = now.Services.Single(s => s.ServiceId == data.CajaId);
        Assert.Equal(1, caja.Waiting);
        Assert.Equal(15, caja.LongestWaitMinutes);  // since 9:45, now 10:00
        Assert.True(caja.OverTarget);               // target 10
        Assert.False(now.Services.Single(s => s.ServiceId == data.InfoId).OverTarget);

        var serving = now.Agents.Single(a => a.AgentId == data.Agent1);
        Assert.Equal(AgentState.Serving, serving.State);
        Assert.Equal("Ventanilla 1", serving.CounterName);
        Assert.Equal("Agente Uno", serving.AgentName);
        Assert.Equal(new TimeOnly(9, 40, 30), TimeOnly.FromDateTime(serving.SinceLocal));
        var paused = now.Agents.Single(a => a.AgentId == data.Agent2);
        Assert.Equal(AgentState.Paused, paused.State);
        Assert.Equal("Almuerzo", paused.PauseReason);
        Assert.Equal((1, 3), (now.CountersOpen, now.CountersActive));

        // The paused agent resumes and, with nothing called, is idle since they opened the counter.
        await h.Sessions.ResumeAsync((await h.CounterAsync("Ventanilla 2")).Id, data.Agent2);
        var idle = (await Panel.GetNowAsync(data.BranchId)).Agents.Single(a => a.AgentId == data.Agent2);
        Assert.Equal(AgentState.Idle, idle.State);
    }

    [Fact]
    public async Task A_supervisor_limited_to_a_branch_sees_only_that_branch()
    {
        await using var db = h.Db();
        var norte = new Branch { Name = "Sede Norte" };
        db.Branches.Add(norte);
        await db.SaveChangesAsync();
        var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
        Assert.Equal(2, (await Panel.ScopeAsync(supervisor.Id, isAdmin: false)).Branches.Count); // the demo supervisor sees every branch

        supervisor.AllBranches = false;
        db.UserBranches.Add(new UserBranch { UserId = supervisor.Id, BranchId = norte.Id });
        await db.SaveChangesAsync();
        var scope = await Panel.ScopeAsync(supervisor.Id, isAdmin: false);
        Assert.False(scope.Unrestricted);
        Assert.Equal(["Sede Norte"], scope.Branches.Select(b => b.Name));
        Assert.False(scope.Allows(data.BranchId));
        Assert.Equal(2, (await Panel.ScopeAsync(supervisor.Id, isAdmin: true)).Branches.Count);
    }
}
