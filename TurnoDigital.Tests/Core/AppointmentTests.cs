using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

public class AppointmentTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    AvailabilityService Availability => h.Services.GetRequiredService<AvailabilityService>();
    BookingService Bookings => h.Services.GetRequiredService<BookingService>();
    CheckInService CheckIns => h.Services.GetRequiredService<CheckInService>();
    static readonly DateOnly Today = new(2026, 11, 25); // Wednesday; the clock starts at 10:00 Bogotá

    static IntakeInput Person(string doc = "1020304050", string name = "María Pérez", string phone = "3001234567") =>
        new(DocumentType.CC, doc, name, phone, "maria@example.co");

    /// <summary>"Trámites y certificados" also asks which procedure.</summary>
    static IntakeInput ForTramites(string doc = "1020304050") =>
        Person(doc) with { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } };

    async Task<Service> AsesoriaAsync() => await h.ServiceAsync("Asesoría de créditos");

    async Task OfficeHoursAsync(bool observeHolidays = true)
    {
        await using var db = h.Db();
        var branch = await db.Branches.Include(b => b.Hours).SingleAsync();
        branch.Hours.Clear();
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            branch.Hours.Add(new OpeningHours { Day = day, OpensAtMinute = 8 * 60, ClosesAtMinute = 12 * 60 });
            branch.Hours.Add(new OpeningHours { Day = day, OpensAtMinute = 14 * 60, ClosesAtMinute = 17 * 60 });
        }
        branch.ObservesNationalHolidays = observeHolidays;
        await db.SaveChangesAsync();
    }

    async Task<AppointmentView> BookAsync(DateTime startUtc, IntakeInput? who = null, string service = "Asesoría de créditos", Guid? requestId = null)
    {
        var s = await h.ServiceAsync(service);
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, Channel.Web, who ?? Person(), requestId ?? Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: true));
    }

    static DateTime Local(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    [Fact]
    public async Task Slots_follow_hours_notice_and_time_zone()
    {
        await OfficeHoursAsync();
        var s = await AsesoriaAsync();
        var today = await Availability.GetSlotsAsync(s.BranchId, s.Id, Today);
        Assert.Equal(["10:30", "11:00", "11:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"],
            today.Select(x => x.StartLocal.ToString("HH:mm")));
        Assert.Equal(Local(25, 10, 30), today[0].StartUtc);              // 10:30 Bogotá = 15:30 UTC
        Assert.All(today, x => Assert.Equal(1, x.Free));
        Assert.Empty(await Availability.GetSlotsAsync(s.BranchId, s.Id, new DateOnly(2026, 11, 28))); // Saturday
    }

    [Fact]
    public async Task Holidays_and_the_booking_window_have_no_slots()
    {
        await OfficeHoursAsync();
        var s = await AsesoriaAsync();
        Assert.Empty(await Availability.GetSlotsAsync(s.BranchId, s.Id, new DateOnly(2026, 12, 8)));  // Inmaculada Concepción
        Assert.NotEmpty(await Availability.GetSlotsAsync(s.BranchId, s.Id, new DateOnly(2026, 12, 9)));
        Assert.NotEmpty(await Availability.GetSlotsAsync(s.BranchId, s.Id, Today.AddDays(29)));       // Thursday Dec 24
        Assert.Empty(await Availability.GetSlotsAsync(s.BranchId, s.Id, Today.AddDays(31)));          // past 30 days ahead
        var days = await Availability.GetBookableDaysAsync(s.BranchId, s.Id);
        Assert.DoesNotContain(new DateOnly(2026, 12, 8), days);
        Assert.DoesNotContain(new DateOnly(2026, 11, 29), days); // Sunday
        Assert.Equal(Today, days[0]);
    }

    [Fact]
    public async Task Walk_in_only_services_have_no_slots()
    {
        var caja = await h.ServiceAsync("Caja");
        Assert.Empty(await Availability.GetSlotsAsync(caja.BranchId, caja.Id, Today));
        await Assert.ThrowsAsync<DomainException>(() => BookAsync(Local(26, 10), service: "Caja"));
    }

    [Fact]
    public async Task Booking_stores_the_person_consents_and_a_journey_event()
    {
        var booked = await BookAsync(Local(26, 10));
        Assert.Equal(AppointmentStatus.Booked, booked.Status);
        Assert.Matches("^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}$", booked.Code); // ≥ 48 bits, no 0/O or 1/I/L
        Assert.Equal(new DateTime(2026, 11, 26, 10, 0, 0), booked.StartLocal);
        await using var db = h.Db();
        var customer = await db.Customers.Include(c => c.Consents).SingleAsync();
        Assert.Equal("+573001234567", customer.Phone?.Value);
        Assert.Equal("1020304050", customer.Document?.Number);
        Assert.Equal([ConsentRecord.DataProcessing, ConsentRecord.WhatsAppAppointmentUpdates], customer.Consents.Select(c => c.Purpose).Order());
        var e = await db.JourneyEvents.SingleAsync();
        Assert.Equal((JourneyEventKind.AppointmentBooked, Channel.Web, customer.Id), (e.Kind, e.Channel, e.CustomerId!.Value));
    }

    [Fact]
    public async Task A_retried_request_creates_nothing_twice()
    {
        var id = Guid.NewGuid();
        var first = await BookAsync(Local(26, 10), requestId: id);
        var again = await BookAsync(Local(26, 10), requestId: id);
        Assert.Equal(first.Code, again.Code);
        await using var db = h.Db();
        Assert.Equal(1, await db.Appointments.CountAsync());
        Assert.Equal(1, (await db.AppointmentSlots.SingleAsync()).Booked);
    }

    [Fact]
    public async Task Twenty_parallel_bookings_for_the_last_seat_give_it_to_exactly_one()
    {
        var start = Local(26, 11);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try { return (await BookAsync(start, Person(doc: $"5000{i:00}", phone: $"30012345{i:00}"))).Code; }
            catch (SlotTakenException ex) { Assert.Contains("se acaba de ocupar", ex.Message); return null; }
        })));
        Assert.Single(results, r => r is not null);
        await using var db = h.Db();
        Assert.Equal(1, await db.Appointments.CountAsync());
        Assert.Equal(1, (await db.AppointmentSlots.SingleAsync()).Booked);
    }

    [Fact]
    public async Task Capacity_above_one_fills_up_then_refuses()
    {
        var start = Local(26, 10, 20); // Trámites: 20-minute slots, two places
        await BookAsync(start, ForTramites("111111"), "Trámites y certificados");
        var t = await h.ServiceAsync("Trámites y certificados");
        Assert.Equal(1, (await Availability.GetSlotsAsync(t.BranchId, t.Id, new DateOnly(2026, 11, 26))).Single(x => x.StartUtc == start).Free);
        await BookAsync(start, ForTramites("222222"), "Trámites y certificados");
        await Assert.ThrowsAsync<SlotTakenException>(() => BookAsync(start, ForTramites("333333"), "Trámites y certificados"));
        await Assert.ThrowsAsync<IntakeValidationException>(() => BookAsync(Local(26, 11), Person(doc: "444444"), "Trámites y certificados"));
    }

    [Fact]
    public async Task Times_outside_the_grid_hours_or_notice_are_refused()
    {
        await Assert.ThrowsAsync<DomainException>(() => BookAsync(Local(26, 10, 10)));  // not on the 30-minute grid
        await Assert.ThrowsAsync<DomainException>(() => BookAsync(Local(25, 10, 0)));   // now: less than 30 minutes' notice
        await OfficeHoursAsync();
        await Assert.ThrowsAsync<DomainException>(() => BookAsync(Local(26, 12, 30)));  // lunch
    }

    [Fact]
    public async Task One_person_may_hold_only_the_configured_active_bookings()
    {
        await BookAsync(Local(26, 10));
        await BookAsync(Local(26, 11));
        var ex = await Assert.ThrowsAsync<DomainException>(() => BookAsync(Local(26, 12)));
        // Neutral: nothing tells whoever typed this document how many bookings it holds.
        Assert.Equal("No es posible agendar más citas con estos datos por ahora. Si necesita ayuda, comuníquese con la sede.", ex.Message);
        await BookAsync(Local(26, 12), Person(doc: "99887766"));
    }

    [Fact]
    public async Task Cancel_frees_the_seat_and_reschedule_moves_it()
    {
        var a = await BookAsync(Local(26, 10));
        var moved = await Bookings.RescheduleAsync(a.Code.ToLowerInvariant(), Local(26, 15), Channel.Web);
        Assert.Equal(new DateTime(2026, 11, 26, 15, 0, 0), moved.StartLocal);
        var s = await AsesoriaAsync();
        var slots = await Availability.GetSlotsAsync(s.BranchId, s.Id, new DateOnly(2026, 11, 26));
        Assert.Equal(1, slots.Single(x => x.StartUtc == Local(26, 10)).Free);
        Assert.Equal(0, slots.Single(x => x.StartUtc == Local(26, 15)).Free);

        var cancelled = await Bookings.CancelAsync(a.Code, Channel.Web);
        Assert.Equal(AppointmentStatus.Cancelled, cancelled.Status);
        Assert.Equal(1, (await Availability.GetSlotsAsync(s.BranchId, s.Id, new DateOnly(2026, 11, 26))).Single(x => x.StartUtc == Local(26, 15)).Free);
        await Assert.ThrowsAsync<DomainException>(() => Bookings.CancelAsync(a.Code, Channel.Web));
        await using var db = h.Db();
        Assert.Equal([JourneyEventKind.AppointmentBooked, JourneyEventKind.AppointmentRescheduled, JourneyEventKind.AppointmentCancelled],
            await db.JourneyEvents.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
    }

    [Fact]
    public async Task A_cancelled_appointment_cannot_be_moved_even_to_its_own_time_nor_checked_in_and_uses_no_ticket_number()
    {
        var a = await BookAsync(Local(25, 11));
        await Bookings.CancelAsync(a.Code, Channel.Web);
        var move = await Assert.ThrowsAsync<DomainException>(() => Bookings.RescheduleAsync(a.Code, Local(25, 11), Channel.Web));
        Assert.Equal("Appointment.ChangeOnlyBooked", move.Code);
        var next = await BookAsync(Local(25, 11), new IntakeInput(DocumentType.CC, "52998877", "Lucía Gómez", "3105551234", "lucia@example.co"));

        h.Clock.SetUtcNow(Local(25, 10, 40));
        var checkIn = await Assert.ThrowsAsync<DomainException>(() => CheckIns.CheckInAsync(a.Id, Channel.Kiosk));
        Assert.Equal("Appointment.NotBooked", checkIn.Code);
        await using (var db = h.Db())
            Assert.Empty(await db.Tickets.ToListAsync());
        // The refused check-in's number was rolled back: the next person of the service still gets C-001.
        Assert.Equal("C-001", (await CheckIns.CheckInAsync(next.Id, Channel.Kiosk)).Ticket!.Number);
    }

    [Fact]
    public async Task Check_in_inside_the_window_issues_an_appointment_ticket_due_at_the_start()
    {
        var a = await BookAsync(Local(25, 11));
        h.Clock.SetUtcNow(Local(25, 10, 40)); // 20 minutes early: inside the 30-minute window
        var found = await CheckIns.FindTodayAsync(a.BranchId, "1.020.304.050");
        Assert.Equal(a.Code, Assert.Single(found).Code);
        Assert.Single(await CheckIns.FindTodayAsync(a.BranchId, a.Code.ToLowerInvariant()));

        var result = await CheckIns.CheckInAsync(a.Id, Channel.Kiosk);
        Assert.Equal(CheckInOutcome.CheckedIn, result.Outcome);
        Assert.Equal("C-001", result.Ticket!.Number);
        var ticket = await h.TicketAsync(result.Ticket.Code);
        Assert.Equal((PriorityClass.Appointment, Local(25, 11), Channel.Web), (ticket.Priority, ticket.DueAt, ticket.Channel));
        Assert.Empty(await CheckIns.FindTodayAsync(a.BranchId, "1020304050"));
        await using var db = h.Db();
        var checkedIn = await db.JourneyEvents.SingleAsync(e => e.Kind == JourneyEventKind.AppointmentCheckedIn);
        Assert.Equal(Channel.Kiosk, checkedIn.Channel);
    }

    [Fact]
    public async Task Too_early_says_when_to_come_back_and_too_late_offers_a_walk_in()
    {
        var a = await BookAsync(Local(25, 12));
        var t = await BookAsync(Local(25, 12, 20), service: "Trámites y certificados", who: ForTramites());
        var early = await CheckIns.CheckInAsync(a.Id, Channel.Kiosk); // 10:00 for 12:00
        Assert.Equal(CheckInOutcome.TooEarly, early.Outcome);
        Assert.Equal(new DateTime(2026, 11, 25, 11, 30, 0), early.EarliestLocal);

        h.Clock.SetUtcNow(Local(25, 12, 16));
        var late = await CheckIns.CheckInAsync(a.Id, Channel.Kiosk);
        Assert.Equal(CheckInOutcome.TooLate, late.Outcome);
        Assert.False(late.WalkInOffered); // Asesoría takes appointments only

        h.Clock.SetUtcNow(Local(25, 12, 40));
        Assert.True((await CheckIns.CheckInAsync(t.Id, Channel.Kiosk)).WalkInOffered);
    }

    [Fact]
    public async Task Call_next_takes_an_appointment_due_now_before_an_earlier_walk_in()
    {
        var a = await BookAsync(Local(25, 10, 40), service: "Trámites y certificados", who: ForTramites());
        var early = await BookAsync(Local(25, 11, 40), who: ForTramites("777777"), service: "Trámites y certificados");
        h.Clock.SetUtcNow(Local(25, 10, 30));
        var walkIn = await h.IssueAsync("Trámites y certificados", intake: ForTramites("888888"));
        h.Clock.SetUtcNow(Local(25, 10, 41));
        var appointment = (await CheckIns.CheckInAsync(a.Id, Channel.Kiosk)).Ticket!;
        var tooSoon = (await CheckIns.CheckInAsync(early.Id, Channel.InPerson)).Ticket!; // 59 minutes early: not inside the window
        Assert.Null(tooSoon);

        var v3 = await h.CounterAsync("Ventanilla 3");
        var first = (await h.Queue.CallNextAsync(v3.Id, "agent"))!;
        Assert.Equal(appointment.Number, first.Number);
        first = await h.Queue.StartAsync(first.Id, first.Version, "agent");
        await h.Queue.CompleteAsync(first.Id, first.Version, "agent", null);
        Assert.Equal(walkIn.Number, (await h.Queue.CallNextAsync(v3.Id, "agent"))!.Number);
    }

    [Fact]
    public async Task People_ahead_follow_the_call_order_an_early_appointment_waits_after_walk_ins_until_its_time()
    {
        var a = await BookAsync(Local(25, 11, 0), service: "Trámites y certificados", who: ForTramites());
        h.Clock.SetUtcNow(Local(25, 10, 35));
        var appointment = (await CheckIns.CheckInAsync(a.Id, Channel.Kiosk)).Ticket!; // 25 minutes early
        h.Clock.SetUtcNow(Local(25, 10, 40));
        var walkIn = await h.IssueAsync("Trámites y certificados", intake: ForTramites("888888"));

        Assert.Equal(0, walkIn.PeopleAhead);
        Assert.Equal(0, (await h.Queries.GetStatusAsync(walkIn.Code))!.PeopleAhead);
        Assert.Equal(1, (await h.Queries.GetStatusAsync(appointment.Code))!.PeopleAhead);

        h.Clock.SetUtcNow(Local(25, 11, 1)); // the appointment is due: it goes first, as Call next would do
        Assert.Equal(0, (await h.Queries.GetStatusAsync(appointment.Code))!.PeopleAhead);
        Assert.Equal(1, (await h.Queries.GetStatusAsync(walkIn.Code))!.PeopleAhead);
        var first = (await h.Queue.CallNextAsync((await h.CounterAsync("Ventanilla 3")).Id, "agent"))!;
        Assert.Equal(appointment.Number, first.Number);
    }

    [Fact]
    public async Task No_show_sweeper_marks_missed_appointments_once()
    {
        var a = await BookAsync(Local(25, 11));
        h.Clock.SetUtcNow(Local(25, 11, 15));
        Assert.Equal(0, await Bookings.MarkNoShowsAsync()); // still inside the 15-minute late window
        h.Clock.SetUtcNow(Local(25, 11, 16));
        Assert.Equal(1, await Bookings.MarkNoShowsAsync());
        Assert.Equal(0, await Bookings.MarkNoShowsAsync());
        Assert.Equal(AppointmentStatus.NoShow, (await Bookings.GetAsync(a.Code))!.Status);
        await using var db = h.Db();
        Assert.Equal(1, await db.JourneyEvents.CountAsync(e => e.Kind == JourneyEventKind.AppointmentNoShow));
    }
}
