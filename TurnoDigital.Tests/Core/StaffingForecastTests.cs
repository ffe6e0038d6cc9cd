using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
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

        // The same figures once the day is closed and summed: the forecast then reads its aggregate rows, not its tickets.
        await CloseAndSumAsync(h, [f.ObservedDays[0]]);
        Assert.Equal(Figures(f), Figures((await h.Services.GetRequiredService<StaffingQueries>().ForecastAsync(caja.BranchId, DayOfWeek.Wednesday))!));
    }

    /// <summary>
    /// Issue 17 §4: three Tuesdays of random visits (transfers with their closed segments, appointments, a late appointment served as
    /// a walk-in at the kiosk, remote tickets that never came, system closes, sub-second instants) forecast for every weekday from the
    /// tickets, then from the daily aggregates, then with one day made stale by a late rating (that day read from its tickets, the
    /// others from their rows). No tolerance: both paths add the same integers (segments per hour, handle ticks and counts) and divide
    /// them the same way, so every figure is bit for bit the same.
    /// </summary>
    [Fact]
    public async Task The_forecast_from_daily_aggregates_equals_the_forecast_from_the_tickets()
    {
        await using var h = await CoreHarness.CreateAsync(); // now: Wednesday 25 November, 10:00 in Bogotá
        DateOnly[] tuesdays = [new(2026, 11, 10), new(2026, 11, 17), new(2026, 11, 24)];
        var branchId = await SeedVisitsAsync(h, tuesdays);
        var staffing = h.Services.GetRequiredService<StaffingQueries>();
        async Task<List<string>> AllWeekdaysAsync()
        {
            var figures = new List<string>();
            foreach (var day in Enum.GetValues<DayOfWeek>()) figures.Add(Figures((await staffing.ForecastAsync(branchId, day))!));
            return figures;
        }

        var fromTickets = await AllWeekdaysAsync();
        var tuesday = (await staffing.ForecastAsync(branchId, DayOfWeek.Tuesday))!;
        Assert.Equal(tuesdays, tuesday.ObservedDays);
        Assert.All(tuesday.Services, s => Assert.True(s.HandleObserved));
        Assert.Contains(tuesday.Hours, x => x.Services.Any(c => c.Appointments > 0) && x.ArrivalsByChannel.Count > 2);

        await CloseAndSumAsync(h, tuesdays);
        Assert.Equal(fromTickets, await AllWeekdaysAsync());

        // A late rating makes 17 November stale: until the job runs again that day comes from its tickets, the others from their rows.
        await using (var db = h.Db())
        {
            var ticket = await db.Tickets.FirstAsync(t => t.ServiceDay == tuesdays[1] && t.Status == TicketStatus.Completed && t.Rating == null);
            ticket.Rate(2, Channel.WhatsApp, h.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            Assert.Equal([tuesdays[0], tuesdays[2]], await db.DayClosures.Where(c => c.AggregatedAt != null).Select(c => c.Day).OrderBy(d => d).ToListAsync());
        }
        Assert.Equal(fromTickets, await AllWeekdaysAsync());

        // A summed day is read from its rows only: without its tickets (gone behind the interceptor's back) nothing changes.
        await using (var db = h.Db())
        {
            var gone = db.Tickets.Where(t => t.ServiceDay == tuesdays[0]);
            await db.TicketSegments.Where(g => gone.Any(t => t.Id == g.TicketId)).ExecuteDeleteAsync();
            Assert.True(await gone.ExecuteDeleteAsync() > 100);
        }
        Assert.Equal(fromTickets, await AllWeekdaysAsync());
    }

    /// <summary>About 150 visits a day between 8:00 and 17:00 in Bogotá, as rows; returns the branch.</summary>
    static async Task<int> SeedVisitsAsync(CoreHarness h, IReadOnlyList<DateOnly> days)
    {
        await using var db = h.Db();
        var services = await db.Services.Where(s => s.IsActive).OrderBy(s => s.Id).ToListAsync();
        var branchId = services[0].BranchId;
        var customer = new Customer { FullName = "Prueba", CreatedAt = h.Clock.GetUtcNow().UtcDateTime };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var random = new Random(17);
        Channel[] channels = [Channel.Kiosk, Channel.Kiosk, Channel.WhatsApp, Channel.Web, Channel.Api, Channel.InPerson];
        var seq = 0;
        foreach (var day in days)
            for (var i = 0; i < 150; i++)
            {
                seq++;
                DateTime At(DateTime t, int maxSeconds) => t.AddSeconds(random.Next(1, maxSeconds)).AddMilliseconds(random.Next(1000));
                var issued = At(day.ToDateTime(new TimeOnly(13, 0), DateTimeKind.Utc), 9 * 3600);
                var service = services[random.Next(services.Count)];
                var roll = random.NextDouble();
                var status = roll < 0.7 ? TicketStatus.Completed : roll < 0.78 ? TicketStatus.NoShow : roll < 0.86 ? TicketStatus.Expired
                    : roll < 0.93 ? TicketStatus.Cancelled : TicketStatus.NotArrived;
                var transferred = status == TicketStatus.Completed && random.NextDouble() < 0.15;
                var channel = channels[random.Next(channels.Length)];
                Appointment? appointment = null;
                if (status != TicketStatus.NotArrived && random.NextDouble() < 0.2)
                {
                    appointment = Rows.Make<Appointment>(new
                    {
                        Code = $"SA{seq:00000}", BranchId = branchId, ServiceId = service.Id, CustomerId = customer.Id, Start = issued, End = issued.AddMinutes(20),
                        Status = AppointmentStatus.CheckedIn, Channel = channels[random.Next(2, channels.Length)], CreatedAt = issued.AddDays(-2), CheckedInAt = (DateTime?)issued,
                    });
                    db.Appointments.Add(appointment);
                    await db.SaveChangesAsync();
                    // One in four came late and took a walk-in ticket at the kiosk (its ticket's channel is not the booking's).
                    channel = random.NextDouble() < 0.25 ? Channel.Kiosk : appointment.Channel;
                }
                if (status == TicketStatus.NotArrived) channel = Channel.WhatsApp;
                var called = status is TicketStatus.Completed or TicketStatus.NoShow ? At(issued, 2400) : (DateTime?)null;
                var started = status == TicketStatus.Completed ? At(called!.Value, 90) : (DateTime?)null;
                var ticket = Rows.WithKpiSeconds(Rows.Make<Ticket>(new
                {
                    BranchId = branchId, ServiceId = service.Id, ServiceDay = day, Sequence = seq, Number = $"S{seq:00000}", Code = $"SF{seq:00000}",
                    Channel = channel, Status = status, IssuedAt = issued, DueAt = issued, AppointmentId = appointment?.Id,
                    FirstCalledAt = called, CalledAt = called, CallCount = called is null ? 0 : 1, StartedAt = started,
                    ClosedAt = started is { } s ? At(s, 1200) : called ?? issued.AddHours(1), ClosedBySystem = status == TicketStatus.Completed && random.NextDouble() < 0.05,
                    Priority = appointment is null ? PriorityClass.Ordinary : PriorityClass.Appointment,
                }));
                if (transferred)
                {
                    // The first segment ended by a transfer to another service, which called and served it later.
                    var moved = At(started!.Value, 600);
                    var next = services[(services.IndexOf(service) + 1) % services.Count];
                    ticket.Segments.Add(Rows.Make<TicketSegment>(new { Number = 1, ServiceId = service.Id, WaitFrom = issued, CalledAt = called, StartedAt = started, EndedAt = moved }));
                    var calledAgain = At(moved, 1800);
                    Rows.Set(ticket, new { ServiceId = next.Id, Segment = 2, SegmentFrom = (DateTime?)moved, SegmentCalledAt = (DateTime?)calledAgain, CalledAt = (DateTime?)calledAgain,
                        StartedAt = (DateTime?)At(calledAgain, 60), ClosedAt = (DateTime?)At(calledAgain, 1500) });
                }
                db.Tickets.Add(ticket);
            }
        await db.SaveChangesAsync();
        return branchId;
    }

    /// <summary>Closes the days (as the midnight sweep would) and lets the aggregate job sum them.</summary>
    static async Task CloseAndSumAsync(CoreHarness h, IReadOnlyList<DateOnly> days)
    {
        await using var db = h.Db();
        var branchId = await db.Branches.Select(b => b.Id).SingleAsync();
        var closed = await db.DayClosures.Select(c => c.Day).ToListAsync();
        foreach (var day in days.Except(closed)) db.DayClosures.Add(DayClosure.ByMidnight(branchId, day, h.Clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync();
        await h.Services.GetRequiredService<DailyAggregates>().RefreshAsync();
        Assert.Equal(days.Count, await db.DayClosures.CountAsync(c => days.Contains(c.Day) && c.AggregatedAt != null));
    }

    /// <summary>Every figure of a forecast as text, doubles in round-trip form.</summary>
    static string Figures(StaffingForecast f) => string.Join("\n", new[]
        {
            $"{f.Weekday} {f.ComingDay} {string.Join(",", f.ObservedDays)}",
            string.Join(";", f.Services.Select(s => $"{s.Id}:{s.HandleMinutes:R}:{s.HandleObserved}")),
        }.Concat(f.Hours.Select(x => $"{x.Hour} {x.SignedIn:R} " + string.Join(",", x.ArrivalsByChannel.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value:R}")) + " "
            + string.Join(";", x.Services.Select(c => $"{c.ServiceId}:{c.Observed:R}:{c.Appointments:R}:{c.Erlangs:R}:{c.Needed}:{c.ServiceLevel:R}")))));
}
