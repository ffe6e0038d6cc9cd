using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Simulation;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 14 §7: the simulation engine plays a day through the real services and is deterministic for a seed.</summary>
public class SimulationTests
{
    /// <summary>A short, small day (two opening hours) two days after the harness's start, so the clock only moves forward.</summary>
    static SimulationParameters Small(int seed) => new(seed, new DateOnly(2026, 11, 27), Agents: 3, WalkIns: 36, Appointments: 6,
        TransferShare: 0.15, WalkOutShare: 0.08, BreakMinutes: 15, OpensAtHour: 10, ClosesAtHour: 12);

    static async Task<(SimulationResult Result, Dictionary<JourneyEventKind, int> Events)> RunAsync(int seed)
    {
        await using var h = await CoreHarness.CreateAsync();
        var result = await new SimulationEngine(h.Services, t => h.Clock.SetUtcNow(new DateTimeOffset(t, TimeSpan.Zero))).RunAsync(Small(seed));
        await using var db = h.Db();
        var events = await db.JourneyEvents.GroupBy(e => e.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        return (result, events);
    }

    static object Figures(SimulationResult r) => new
    {
        r.Served, r.Transfers, r.NoShowTickets, r.AppointmentsCheckedIn, r.AppointmentsMissed, r.Breaks,
        New = r.Accuracy(naive: false), Naive = r.Accuracy(naive: true),
        Tickets = string.Join(";", r.Tickets.Select(t => $"{t.ServiceId}/{t.Priority}/{t.IssuedAt:HHmmss}/{t.EstimateMinutes}/{t.NaiveEstimateMinutes}/{t.CalledAt:HHmmss}")),
    };

    [Fact]
    public async Task The_same_seed_plays_the_same_day_through_the_real_services()
    {
        var (first, events) = await RunAsync(7);
        var (again, _) = await RunAsync(7);
        Assert.Equal(Figures(first), Figures(again));
        var (other, _) = await RunAsync(8);
        Assert.NotEqual(Figures(first).ToString(), Figures(other).ToString());

        // Journeys went through the real services: issued, called, served, transferred, checked in, paused agents.
        Assert.True(first.Tickets.Count > 20, $"{first.Tickets.Count} walk-ins");
        Assert.Equal(first.Served, events[JourneyEventKind.ServiceCompleted]);
        Assert.Equal(first.Transfers, events.GetValueOrDefault(JourneyEventKind.TicketTransferred));
        Assert.Equal(first.NoShowTickets, events.GetValueOrDefault(JourneyEventKind.TicketNoShow));
        Assert.Equal(first.AppointmentsCheckedIn, events.GetValueOrDefault(JourneyEventKind.AppointmentCheckedIn));
        Assert.True(first.Transfers > 0 && first.NoShowTickets > 0 && first.Breaks == 3, $"{first.Transfers} transfers, {first.NoShowTickets} no-shows, {first.Breaks} breaks");
        Assert.All(first.Tickets, t => Assert.NotNull(t.CalledAt)); // everyone in line was called before the agents left
        Assert.True(first.Accuracy(naive: false).Called == first.Tickets.Count);
    }
}
