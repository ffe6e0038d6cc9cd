using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>
/// The report's arithmetic on a small fixed day (Friday 2026-11-20, Sede Centro, Bogotá UTC−5).
/// Every expected number below is worked out by hand from the rows inserted in <see cref="SeedAsync"/>.
/// </summary>
public class ChannelReportTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    ChannelReportService Reports => h.Services.GetRequiredService<ChannelReportService>();

    static readonly DateOnly Day = new(2026, 11, 20);
    /// <summary>Local Bogotá time of the report day → UTC.</summary>
    static DateTime L(int hour, int minute, int dayOffset = 0) => new DateTime(2026, 11, 20 + dayOffset, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    internal sealed record Seeded(int BranchId, int Caja, int Asesoria);

    /// <summary>
    /// Tickets (Caja unless noted), local times:
    ///   Kiosk K1 08:10→called 08:15 (wait 300 s), serve 08:16–08:20 (240 s), rating 5
    ///   Kiosk K2 08:20→08:30 (600 s), 08:31–08:37 (360 s), rating 4
    ///   Kiosk K3 09:05→09:25 (1200 s), 09:26–09:28 (120 s), rating 2
    ///   Kiosk K4 09:40→10:20 (2400 s), no-show
    ///   Kiosk K5 09:50, cancelled before a call (walk-out)
    ///   Kiosk K6 23:30 (04:30 UTC next day), expired (walk-out): local day and hour bucket, not UTC
    ///   Kiosk K7 on 11-21: outside the range
    ///   WhatsApp W1 10:00→10:10 (600 s), 10:11–10:21 (600 s), rating 5
    ///   WhatsApp W2 10:30→10:31 (60 s), 10:32–10:35 (180 s), no rating
    ///   Asesoría ticket of appointment A1 (booked by WhatsApp, checked in at the kiosk): issued 10:50, start 11:00,
    ///     called 11:05 → wait 300 s (from the start, not the check-in), 11:06–11:26 (1200 s), rating 4
    /// Appointments of Asesoría: A1 WhatsApp checked in, reminder delivered; A2 WhatsApp 14:00 no-show, same-day reminder delivered;
    ///   A3 Web 15:00 no-show, reminder sent but never delivered; A4 Web 15:20 checked in, day-before reminder delivered;
    ///   A5 Web 16:00 no-show, none; A6 Web cancelled (excluded); A7 Web no-show on 11-21 (outside); A8 WhatsApp 12:00 checked in,
    ///   only its confirmation delivered (not a reminder).
    /// </summary>
    internal static async Task<Seeded> SeedAsync(TurnoDbContext db)
    {
        var caja = await db.Services.SingleAsync(s => s.Name == "Caja");
        var asesoria = await db.Services.SingleAsync(s => s.Name == "Asesoría de créditos");
        var customer = new Customer { FullName = "Persona Informe", CreatedAt = L(7, 0) };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var seq = 0;
        Ticket T(Channel channel, int serviceId, DateTime issued, DateTime? called, DateTime? started, DateTime? closed, TicketStatus status, int? rating = null, int dayOffset = 0)
        {
            seq++;
            return db.Row<Ticket>(new
            {
                BranchId = caja.BranchId, ServiceId = serviceId, ServiceDay = Day.AddDays(dayOffset), Sequence = 900 + seq, Number = $"R-{900 + seq}",
                Code = $"RPT{seq:000}", Channel = channel, Status = status, IssuedAt = issued, DueAt = issued, FirstCalledAt = called, CalledAt = called,
                CallCount = called is null ? 0 : 1, StartedAt = started, ClosedAt = closed, Rating = rating, RatedAt = rating is null ? null : closed,
            });
        }
        T(Channel.Kiosk, caja.Id, L(8, 10), L(8, 15), L(8, 16), L(8, 20), TicketStatus.Completed, 5);
        T(Channel.Kiosk, caja.Id, L(8, 20), L(8, 30), L(8, 31), L(8, 37), TicketStatus.Completed, 4);
        T(Channel.Kiosk, caja.Id, L(9, 5), L(9, 25), L(9, 26), L(9, 28), TicketStatus.Completed, 2);
        T(Channel.Kiosk, caja.Id, L(9, 40), L(10, 20), null, L(10, 25), TicketStatus.NoShow);
        T(Channel.Kiosk, caja.Id, L(9, 50), null, null, L(9, 55), TicketStatus.Cancelled);
        T(Channel.Kiosk, caja.Id, L(23, 30), null, null, L(23, 59), TicketStatus.Expired);
        T(Channel.Kiosk, caja.Id, L(10, 0, 1), L(10, 5, 1), L(10, 6, 1), L(10, 9, 1), TicketStatus.Completed, 1, dayOffset: 1);
        T(Channel.WhatsApp, caja.Id, L(10, 0), L(10, 10), L(10, 11), L(10, 21), TicketStatus.Completed, 5);
        T(Channel.WhatsApp, caja.Id, L(10, 30), L(10, 31), L(10, 32), L(10, 35), TicketStatus.Completed);

        var n = 0;
        Appointment A(Channel channel, DateTime start, AppointmentStatus status)
        {
            n++;
            return db.Row<Appointment>(new
            {
                Code = $"RA{n:00}", BranchId = caja.BranchId, ServiceId = asesoria.Id, CustomerId = customer.Id, Start = start, End = start.AddMinutes(20),
                Status = status, Channel = channel, CreatedAt = start.AddDays(-2),
            });
        }
        var a1 = A(Channel.WhatsApp, L(11, 0), AppointmentStatus.CheckedIn);
        var a2 = A(Channel.WhatsApp, L(14, 0), AppointmentStatus.NoShow);
        var a3 = A(Channel.Web, L(15, 0), AppointmentStatus.NoShow);
        var a4 = A(Channel.Web, L(15, 20), AppointmentStatus.CheckedIn);
        A(Channel.Web, L(16, 0), AppointmentStatus.NoShow);
        A(Channel.Web, L(16, 20), AppointmentStatus.Cancelled);
        A(Channel.Web, L(9, 0, 1), AppointmentStatus.NoShow);
        var a8 = A(Channel.WhatsApp, L(12, 0), AppointmentStatus.CheckedIn);
        await db.SaveChangesAsync();

        var a1Ticket = T(Channel.Kiosk, asesoria.Id, L(10, 50), L(11, 5), L(11, 6), L(11, 26), TicketStatus.Completed, 4);
        db.SetRow(a1Ticket, new { AppointmentId = (long?)a1.Id, DueAt = L(11, 0), Priority = PriorityClass.Appointment });

        void O(Appointment a, MessageKind kind, bool delivered) => db.Outbox.Add(new OutboxMessage
        {
            DedupeKey = $"rpt-{a.Id}-{kind}", To = "573001234567", Kind = kind, Content = "{}", Status = delivered ? OutboxStatus.Delivered : OutboxStatus.Sent,
            CreatedAt = a.Start.AddDays(-1), NextAttemptAt = a.Start.AddDays(-1), SentAt = a.Start.AddDays(-1),
            DeliveredAt = delivered ? a.Start.AddDays(-1).AddMinutes(1) : null, AppointmentId = a.Id, BranchId = a.BranchId,
        });
        O(a1, MessageKind.ReminderDayBefore, true);
        O(a2, MessageKind.ReminderSameDay, true);
        O(a3, MessageKind.ReminderDayBefore, false);
        O(a4, MessageKind.ReminderDayBefore, true);
        O(a8, MessageKind.AppointmentConfirmation, true);
        db.FillKpiSeconds();
        await db.SaveChangesAsync();
        return new Seeded(caja.BranchId, caja.Id, asesoria.Id);
    }

    [Fact]
    public async Task Channel_service_and_total_figures_match_the_hand_worked_numbers()
    {
        Seeded s;
        await using (var db = h.Db()) s = await SeedAsync(db);
        var r = await Reports.ComputeAsync(new ReportFilter(Day, Day, [s.BranchId], []));

        var kiosk = r.ByChannel.Single(c => c.Channel == Channel.Kiosk);
        Assert.Equal(6, kiosk.Visits);                       // K1–K6 (K7 is another day; A1's ticket is WhatsApp)
        Assert.Equal(6 / 9.0, kiosk.Share, 6);
        Assert.Equal(4, kiosk.Called);
        Assert.Equal(3, kiosk.Served);
        Assert.Equal(2, kiosk.WalkOuts);
        Assert.Equal(1125, kiosk.WaitAvgSeconds!.Value, 6);  // (300+600+1200+2400)/4
        Assert.Equal(600, kiosk.WaitP50Seconds);             // rank ceil(0.5·4)=2 of [300,600,1200,2400]
        Assert.Equal(2400, kiosk.WaitP90Seconds);            // rank ceil(0.9·4)=4
        Assert.Equal(240, kiosk.ServiceAvgSeconds!.Value, 6); // (240+360+120)/3
        Assert.Equal(0.25, kiosk.TicketNoShowRate!.Value, 6); // 1 no-show / 4 called
        Assert.Equal([0, 1, 0, 1, 1], kiosk.RatingCounts);
        Assert.Equal(11 / 3.0, kiosk.RatingAvg!.Value, 6);
        Assert.Equal(2 / 3.0, kiosk.Csat!.Value, 6);
        Assert.Equal(1.0, kiosk.ResponseRate!.Value, 6);
        Assert.Equal(0, kiosk.AppointmentsDue);

        var wa = r.ByChannel.Single(c => c.Channel == Channel.WhatsApp);
        Assert.Equal(3, wa.Visits);                          // W1, W2 and A1's ticket (the booking's channel)
        Assert.Equal(320, wa.WaitAvgSeconds!.Value, 6);      // (600+60+300)/3
        Assert.Equal(300, wa.WaitP50Seconds);                // [60,300,600] rank 2
        Assert.Equal(600, wa.WaitP90Seconds);                // rank 3
        Assert.Equal(660, wa.ServiceAvgSeconds!.Value, 6);   // (600+180+1200)/3
        Assert.Equal(4.5, wa.RatingAvg!.Value, 6);
        Assert.Equal(1.0, wa.Csat!.Value, 6);
        Assert.Equal(2 / 3.0, wa.ResponseRate!.Value, 6);
        Assert.Equal(3, wa.AppointmentsDue);                 // A1, A2, A8
        Assert.Equal(1 / 3.0, wa.AppointmentNoShowRate!.Value, 6);

        var web = r.ByChannel.Single(c => c.Channel == Channel.Web);
        Assert.Equal(0, web.Visits);
        Assert.Equal(3, web.AppointmentsDue);                // A3, A4, A5 (A6 cancelled, A7 another day)
        Assert.Equal(2 / 3.0, web.AppointmentNoShowRate!.Value, 6);
        Assert.Equal(5, r.ByChannel.Count);
        Assert.Null(r.ByChannel.Single(c => c.Channel == Channel.Api).WaitAvgSeconds);

        var t = r.Total;
        Assert.Equal(9, t.Visits);
        Assert.Equal(7, t.Called);
        Assert.Equal(780, t.WaitAvgSeconds!.Value, 6);       // 5460/7
        Assert.Equal(600, t.WaitP50Seconds);                 // [60,300,300,600,600,1200,2400] rank 4
        Assert.Equal(2400, t.WaitP90Seconds);                // rank ceil(6.3)=7
        Assert.Equal(450, t.ServiceAvgSeconds!.Value, 6);    // 2700/6
        Assert.Equal(1 / 7.0, t.TicketNoShowRate!.Value, 6);
        Assert.Equal(4.0, t.RatingAvg!.Value, 6);            // (5+4+2+5+4)/5
        Assert.Equal(0.8, t.Csat!.Value, 6);
        Assert.Equal(5 / 6.0, t.ResponseRate!.Value, 6);
        Assert.Equal(6, t.AppointmentsDue);
        Assert.Equal(0.5, t.AppointmentNoShowRate!.Value, 6);

        // Reminder effect: with a delivered reminder A1, A2, A4 (1 no-show); without A3 (undelivered), A5, A8 (confirmation only): 2 no-shows.
        Assert.Equal(new ReminderEffect(3, 1, 3, 2), r.Reminders);
        Assert.Equal(1 / 3.0, r.Reminders.RateWithReminder!.Value, 6);
        Assert.Equal(2 / 3.0, r.Reminders.RateWithout!.Value, 6);

        // Per service: Caja 8 visits; Asesoría 1 visit and all 6 due appointments.
        var cajaRow = r.ByService.Single(x => x.ServiceId == s.Caja);
        var asesoriaRow = r.ByService.Single(x => x.ServiceId == s.Asesoria);
        Assert.Equal((8, "Caja"), (cajaRow.Visits, cajaRow.Label));
        Assert.Equal((1, 6, 3), (asesoriaRow.Visits, asesoriaRow.AppointmentsDue, asesoriaRow.AppointmentNoShows));
        Assert.Equal(300, asesoriaRow.WaitP90Seconds);

        // Demand in Bogotá time: Friday (index 4) 08h 2, 09h 3, 10h 3, 23h 1 — K6 is not Saturday 04h as in UTC.
        Assert.Equal(2, r.Demand[4, 8]);
        Assert.Equal(3, r.Demand[4, 9]);
        Assert.Equal(3, r.Demand[4, 10]);
        Assert.Equal(1, r.Demand[4, 23]);
        Assert.Equal(0, r.Demand[5, 4]);
        Assert.Equal(9, r.Demand.Cast<int>().Sum());

        var daily = Assert.Single(r.Daily);
        Assert.Equal((Day, 6, 3), (daily.Day, daily.PerChannel[(int)Channel.Kiosk], daily.PerChannel[(int)Channel.WhatsApp]));
        Assert.Equal("America/Bogota", r.TimeZoneNote);
    }

    [Fact]
    public async Task Service_filter_and_next_day_range()
    {
        Seeded s;
        await using (var db = h.Db()) s = await SeedAsync(db);
        var asesoria = await Reports.ComputeAsync(new ReportFilter(Day, Day, [s.BranchId], [s.Asesoria]));
        Assert.Equal(1, asesoria.Total.Visits);
        Assert.Equal(6, asesoria.Total.AppointmentsDue);
        Assert.Equal(["Asesoría de créditos"], asesoria.ServiceNames);

        var twoDays = await Reports.ComputeAsync(new ReportFilter(Day, Day.AddDays(1), [s.BranchId], []));
        Assert.Equal(10, twoDays.Total.Visits);              // + K7
        Assert.Equal(7, twoDays.Total.AppointmentsDue);      // + A7
        Assert.Equal(2, twoDays.Daily.Count);
        Assert.Equal(1, twoDays.Daily[1].PerChannel[(int)Channel.Kiosk]);
    }

    [Theory]
    [InlineData("2026-11-20", "2026-11-19", null, "posterior")]
    [InlineData("2025-01-01", "2026-01-05", null, "366")]
    [InlineData("20-11-2026", "2026-11-20", null, "AAAA-MM-DD")]
    [InlineData("2026-11-20", "2026-11-20", "9999", "no existe")]
    [InlineData("2026-11-20", "2026-11-20", "abc", "no es válido")]
    public async Task Bad_input_is_a_clear_spanish_message(string from, string to, string? branch, string fragment)
    {
        var ex = await Assert.ThrowsAsync<ReportInputException>(() => Reports.ResolveAsync(from, to, branch is null ? [] : [branch], [], null, true));
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public async Task A_supervisor_limited_to_a_branch_cannot_ask_for_another()
    {
        string userId;
        int centro, other;
        await using (var db = h.Db())
        {
            centro = (await db.Branches.SingleAsync()).Id;
            var branch = new TurnoDigital.Core.Organization.Branch { Name = "Sede Norte" };
            db.Branches.Add(branch);
            await db.SaveChangesAsync();
            other = branch.Id;
            var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
            supervisor.AllBranches = false;
            userId = supervisor.Id;
            db.UserBranches.Add(new TurnoDigital.Core.Organization.UserBranch { UserId = userId, BranchId = centro });
            await db.SaveChangesAsync();
        }
        await Assert.ThrowsAsync<ReportForbiddenException>(() => Reports.ResolveAsync("2026-11-20", "2026-11-20", [other.ToString()], [], userId, false));
        var mine = await Reports.ResolveAsync("2026-11-20", "2026-11-20", [], [], userId, false);
        Assert.Equal([centro], mine.BranchIds);
        var admin = await Reports.ResolveAsync("2026-11-20", "2026-11-20", [], [], userId, true);
        Assert.Equal(2, admin.BranchIds.Count);
    }

    [Fact]
    public void Nearest_rank_percentile()
    {
        int[] ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, KpiQueries.Percentile(ten, 50));
        Assert.Equal(9, KpiQueries.Percentile(ten, 90));
        Assert.Equal(7, KpiQueries.Percentile([7], 90));
    }
}
