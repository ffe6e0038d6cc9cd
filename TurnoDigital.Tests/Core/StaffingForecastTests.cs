using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 15 §5: Erlang C against worked examples, and the forecast from a worked day at the branch.</summary>
public class StaffingForecastTests
{
    [Fact]
    public void Erlang_C_matches_the_worked_example()
    {
        // 100 arrivals an hour, 180 s each: 5 Erlangs; 80 % to be answered within 20 s.
        Assert.Equal(5, ErlangC.Erlangs(100, 180), 9);
        Assert.Equal(8, ErlangC.AgentsNeeded(100, 180, 20, 0.80));
        Assert.Equal(0.880, ErlangC.ServiceLevel(8, 5, 180, 20), 3);
        Assert.Equal(0.740, ErlangC.ServiceLevel(7, 5, 180, 20), 3);
    }

    [Fact]
    public void Erlang_C_edges_nobody_arriving_and_agents_who_cannot_keep_up()
    {
        Assert.Equal(0, ErlangC.AgentsNeeded(0, 180, 20, 0.8));
        Assert.Equal(1, ErlangC.ProbabilityOfWaiting(5, 5)); // as many agents as Erlangs: the line only grows
        Assert.Equal(0, ErlangC.ServiceLevel(4, 5, 180, 20));
        Assert.Equal(0.4, ErlangC.ProbabilityOfWaiting(1, 0.4), 9); // one agent: the wait probability is the load
        // Thousands of Erlangs do not overflow (the Erlang B recurrence).
        Assert.InRange(ErlangC.AgentsNeeded(100_000, 180, 20, 0.8), 5001, 5100);
    }

    [Fact]
    public async Task The_forecast_counts_each_segment_the_booked_appointments_and_the_agents_signed_in()
    {
        await using var h = await CoreHarness.CreateAsync();
        string agent;
        await using (var db = h.Db()) agent = (await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno")).Id;
        var v2 = (await h.CounterAsync("Ventanilla 2")).Id; // Caja + Trámites
        var tramites = await h.ServiceAsync("Trámites y certificados");
        var caja = await h.ServiceAsync("Caja");

        // Next Wednesday's bookings (10:00 and 10:40 in Bogotá), made today.
        var next = CoreHarness.Start.UtcDateTime.AddDays(7);
        foreach (var (minutes, doc) in new[] { (0, "1020304050"), (40, "52000111") })
            await h.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(tramites.BranchId, tramites.Id, next.AddMinutes(minutes), Channel.Web,
                new IntakeInput(DocumentType.CC, doc, "Persona de prueba", "3001234567", "p@example.co") { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } },
                Guid.NewGuid(), DataPolicyAccepted: true));

        // Today, Wednesday 10:00 in Bogotá: six Caja visits of 4 minutes, and a seventh transferred to Trámites after 2.
        await h.Sessions.OpenAsync(v2, agent);
        for (var i = 0; i < 7; i++) await h.IssueAsync("Caja");
        for (var i = 0; i < 6; i++)
        {
            var called = (await h.Queue.CallNextAsync(v2, agent))!;
            var started = await h.Queue.StartAsync(called.Id, called.Version, agent);
            h.Clock.Advance(TimeSpan.FromMinutes(4));
            await h.Queue.CompleteAsync(started.Id, started.Version, agent, null);
        }
        var last = (await h.Queue.CallNextAsync(v2, agent))!;
        last = await h.Queue.StartAsync(last.Id, last.Version, agent);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        await h.Queue.TransferAsync(last.Id, last.Version, agent, tramites.Id, null);
        var again = (await h.Queue.CallNextAsync(v2, agent))!;
        again = await h.Queue.StartAsync(again.Id, again.Version, agent);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        await h.Queue.CompleteAsync(again.Id, again.Version, agent, null);
        await h.Sessions.CloseAsync(v2, agent);

        h.Clock.SetUtcNow(next.AddHours(-4)); // next Wednesday before opening
        var f = (await h.Services.GetRequiredService<StaffingQueries>().ForecastAsync(caja.BranchId, DayOfWeek.Wednesday))!;

        Assert.Equal(new DateOnly(2026, 12, 2), f.ComingDay);
        Assert.Equal([new DateOnly(2026, 11, 25)], f.ObservedDays); // the earlier Wednesdays had no visits: they do not dilute
        var ten = f.Hours.Single(x => x.Hour == 10);
        var cajaAt10 = ten.Services.Single(s => s.ServiceId == caja.Id);
        Assert.Equal(7, cajaAt10.Observed); // the transferred visit's first segment arrived at Caja
        Assert.Equal(0, cajaAt10.Appointments);
        var handle = f.Services.Single(s => s.Id == caja.Id);
        Assert.True(handle.HandleObserved);
        Assert.Equal((6 * 4 + 2) / 7.0, handle.HandleMinutes, 6); // call to close, or to the transfer
        Assert.Equal(ErlangC.Erlangs(7, handle.HandleMinutes * 60), cajaAt10.Erlangs, 9);
        Assert.Equal(1, cajaAt10.Needed); // 0.43 Erlangs, 80 % within 10 min: one agent (91 %)
        Assert.True(cajaAt10.ServiceLevel >= 0.8);

        var tramitesAt10 = ten.Services.Single(s => s.ServiceId == tramites.Id);
        Assert.Equal(1, tramitesAt10.Observed);     // the transfer is an arrival at Trámites
        Assert.Equal(2, tramitesAt10.Appointments); // booked for the coming day, more than the usual none
        Assert.Equal(7 + 1, ten.ArrivalsByChannel[Channel.Kiosk]);
        Assert.Equal(1, ten.SignedIn);
        Assert.Equal(ten.Services.Sum(s => s.Needed), ten.Needed);
        Assert.Equal(0, f.Hours.Single(x => x.Hour == 8).SignedIn);
    }
}
