using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>
/// Reminders that follow the appointment (move, cancel, check-in, the dispatcher's re-check), the branch's message hours,
/// and one person's messages in the order they were written, against the fake Graph API on a fake clock.
/// </summary>
public class ReminderLifecycleTests : FakeGraphApiTest
{
    BookingService Bookings => H.Services.GetRequiredService<BookingService>();
    Reminders Reminders => H.Services.GetRequiredService<Reminders>();
    OrganizationAdmin Admin => H.Services.GetRequiredService<OrganizationAdmin>();

    /// <summary>Local Bogotá time (UTC−5) in November 2026, as UTC. The clock starts on Wednesday the 25th at 10:00.</summary>
    static DateTime Local(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    void At(DateTime utc) => H.Clock.SetUtcNow(utc);

    Task<AppointmentView> BookAsync(DateTime startUtc, string doc = "1020304050", string phone = "3001234567") => BookWithWhatsAppAsync(startUtc, doc, phone);

    async Task<List<OutboxMessage>> RowsAsync(params MessageKind[] kinds)
    {
        await using var db = H.Db();
        return await db.Outbox.AsNoTracking().Where(m => kinds.Length == 0 || kinds.Contains(m.Kind)).OrderBy(m => m.Id).ToListAsync();
    }

    static readonly MessageKind[] ReminderKinds = [MessageKind.ReminderDayBefore, MessageKind.ReminderSameDay];

    /// <summary>Sends what is due now and whatever becomes due within the per-person gap, advancing the fake clock.</summary>
    async Task DrainAsync(int seconds = 20)
    {
        var until = H.Clock.GetUtcNow().AddSeconds(seconds);
        while (H.Clock.GetUtcNow() <= until)
        {
            await Dispatcher.DispatchDueAsync();
            H.Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    string[] SentTexts => Api.Requests.Select(r => r.Body["text"]?["body"]?.ToString() ?? r.Body["template"]?["name"]?.ToString() ?? "").ToArray();

    [Fact]
    public async Task Rescheduling_voids_the_old_reminder_and_the_new_start_gets_its_own()
    {
        var booked = await BookAsync(Local(27, 14, 30));
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(26, 18)));
        var old = Assert.Single(await RowsAsync(ReminderKinds));
        Assert.Equal((Local(27, 14, 30), OutboxStatus.Pending), (old.AppointmentStart, old.Status));

        At(Local(26, 18, 5));
        await Bookings.RescheduleAsync(booked.Code, Local(28, 10), Channel.Web);

        var voided = Assert.Single(await RowsAsync(ReminderKinds));
        Assert.Equal((OutboxStatus.Expired, Notifications.VoidedReason), (voided.Status, voided.Error));
        // The same moment's sweep writes nothing for the old date; the new date's reminders come in their time.
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(26, 18, 6)));
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(27, 18)));
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(28, 8)));
        var rows = await RowsAsync(ReminderKinds);
        Assert.Equal([Reminders.DayBeforeKey(booked.Id, Local(27, 14, 30)), Reminders.DayBeforeKey(booked.Id, Local(28, 10)), Reminders.SameDayKey(booked.Id, Local(28, 10))],
            rows.Select(m => m.DedupeKey));
        Assert.All(rows.Skip(1), m => Assert.Equal((Local(28, 10), OutboxStatus.Pending), (m.AppointmentStart, m.Status)));
        // The confirmation of the old time, still unsent, is void too.
        var confirmations = await RowsAsync(MessageKind.AppointmentConfirmation);
        Assert.Equal([OutboxStatus.Expired, OutboxStatus.Pending], confirmations.Select(m => m.Status));
    }

    [Fact]
    public async Task Cancelling_or_checking_in_voids_the_pending_reminder()
    {
        var cancelled = await BookAsync(Local(25, 13), doc: "111111", phone: "3101111111");
        var checkedIn = await BookAsync(Local(25, 13, 30), doc: "222222", phone: "3102222222");
        At(Local(25, 11, 30));
        Assert.Equal(2, await Reminders.RunRemindersAsync(Local(25, 11, 30)));

        await Bookings.CancelAsync(cancelled.Code, Channel.Web);
        At(Local(25, 13, 10));
        Assert.Equal(CheckInOutcome.CheckedIn, (await H.Services.GetRequiredService<CheckInService>().CheckInAsync(checkedIn.Id, Channel.Kiosk)).Outcome);

        Assert.All(await RowsAsync(ReminderKinds), m => Assert.Equal((OutboxStatus.Expired, Notifications.VoidedReason), (m.Status, m.Error)));
    }

    [Fact]
    public async Task The_dispatcher_rechecks_the_appointment_right_before_sending()
    {
        var moved = await BookAsync(Local(26, 9), doc: "111111", phone: "3101111111");
        var gone = await BookAsync(Local(26, 10), doc: "222222", phone: "3102222222");
        var fine = await BookAsync(Local(26, 11), doc: "333333", phone: "3103333333");
        await DrainAsync(); // the confirmations
        Api.Requests.Clear();
        At(Local(25, 18));
        Assert.Equal(3, await Reminders.RunRemindersAsync(Local(25, 18)));
        // Changes behind the outbox's back (another node, a manual fix): only the gate can catch them.
        await using (var db = H.Db())
        {
            await db.Appointments.Where(a => a.Id == moved.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Start, Local(26, 15)));
            await db.Appointments.Where(a => a.Id == gone.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AppointmentStatus.Cancelled));
        }

        await DrainAsync();

        var rows = (await RowsAsync(ReminderKinds)).ToDictionary(m => m.AppointmentId!.Value);
        Assert.Equal((OutboxStatus.Expired, SendGate.AppointmentMovedReason), (rows[moved.Id].Status, rows[moved.Id].Error));
        Assert.Equal((OutboxStatus.Expired, SendGate.AppointmentNotBookedReason), (rows[gone.Id].Status, rows[gone.Id].Error));
        Assert.Equal(OutboxStatus.Sent, rows[fine.Id].Status);
        Assert.Equal(["573103333333"], Api.Requests.Select(r => r.Body["to"]!.ToString()));
    }

    [Fact]
    public async Task Reminders_and_closure_notices_wait_for_the_message_hours_but_being_called_does_not()
    {
        var branchId = (await H.ServiceAsync("Caja")).BranchId;
        await Admin.SetMessageHoursAsync(branchId, 7 * 60, 20 * 60, "admin-1");
        At(Local(25, 21, 30));
        await BookAsync(Local(26, 9), doc: "111111", phone: "3101111111");
        var closed = await BookAsync(Local(27, 9), doc: "222222", phone: "3102222222");
        await DrainAsync(); // confirmations answer a booking: not held
        Assert.Equal(2, Api.Requests.Count);

        // The demo's "run reminders now" at night, a closure decided at night, and a late-open line's call.
        Assert.Equal(1, await Reminders.RunRemindersAsync(H.Clock.GetUtcNow().UtcDateTime, sendAllUpcoming: true));
        await Admin.AddClosedDateAsync(branchId, new DateOnly(2026, 11, 27), null, BookingDecision.Cancel, "admin-1");
        var caja = await H.ServiceAsync("Caja");
        await H.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3103333333", WhatsAppConsent: true));
        await H.Queue.CallNextAsync((await H.CounterAsync("Ventanilla 1")).Id, "agent-1");
        await DrainAsync();

        var morning = Local(26, 7);
        var reminder = Assert.Single(await RowsAsync(ReminderKinds));
        var notice = Assert.Single(await RowsAsync(MessageKind.CancelledByBranch));
        Assert.All(new[] { reminder, notice }, m => Assert.Equal((OutboxStatus.Pending, morning, 0), (m.Status, m.NextAttemptAt, m.Attempts)));
        Assert.Equal(OutboxStatus.Sent, Assert.Single(await RowsAsync(MessageKind.TicketCalled)).Status);
        Assert.Equal(closed.Id, notice.AppointmentId);

        At(morning);
        await DrainAsync();
        Assert.All(await RowsAsync(MessageKind.ReminderDayBefore, MessageKind.CancelledByBranch), m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }

    [Fact]
    public async Task An_early_slots_same_day_reminder_goes_the_evening_before_once()
    {
        var branchId = (await H.ServiceAsync("Caja")).BranchId;
        await Admin.SetMessageHoursAsync(branchId, 7 * 60, 20 * 60, "admin-1");
        var remindedAlready = await BookAsync(Local(27, 8), doc: "111111", phone: "3101111111");
        var normal = await BookAsync(Local(27, 10), doc: "222222", phone: "3102222222");
        At(Local(26, 18, 30)); // booked after the day-before reminder's hour
        var lateBooker = await BookAsync(Local(27, 8, 30), doc: "333333", phone: "3103333333");

        Assert.Equal(2, await Reminders.RunRemindersAsync(Local(26, 18)));      // day-before: the two booked earlier
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(26, 19)));      // evening: only the late booker's early slot
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(27, 6, 30)));   // nothing in the night
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(27, 8)));       // the 10:00 one, on the day

        var rows = await RowsAsync(ReminderKinds);
        Assert.Equal([(remindedAlready.Id, MessageKind.ReminderDayBefore), (normal.Id, MessageKind.ReminderDayBefore),
                (lateBooker.Id, MessageKind.ReminderDayBefore), (normal.Id, MessageKind.ReminderSameDay)],
            rows.Select(m => (m.AppointmentId!.Value, m.Kind)));
        Assert.Equal(Reminders.SameDayKey(lateBooker.Id, Local(27, 8, 30)), rows[2].DedupeKey);
        Assert.Contains("mañana", Outbox.Deserialize(rows[2].Content).Text);
        Assert.Equal(Local(26, 19), rows[2].CreatedAt);
    }

    [Fact]
    public async Task A_retried_turn_near_never_arrives_after_being_called()
    {
        var caja = await H.ServiceAsync("Caja");
        var issued = await H.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3101234567", WhatsAppConsent: true));
        await DrainAsync(); // its confirmation
        var ticket = await H.TicketAsync(issued.Code);
        await using (var db = H.Db())
        {
            var row = await Outbox.AddAsync(db, "+573101234567", MessageKind.TurnNear, $"ticket:{ticket.Code}:near:test", new OutgoingContent("Su turno está cerca"),
                H.Clock.GetUtcNow().UtcDateTime, Notifications.TurnNearTtl);
            (row!.TicketId, row.BranchId, row.CustomerId) = (ticket.Id, ticket.BranchId, ticket.CustomerId);
            await db.SaveChangesAsync();
        }

        Api.FailNext(500, 2, "Service temporarily unavailable");
        Assert.Equal(1, await Dispatcher.DispatchDueAsync());     // "turn near" fails: retried after a backoff
        await H.Queue.CallNextAsync((await H.CounterAsync("Ventanilla 1")).Id, "agent-1");
        Assert.Equal(0, await Dispatcher.DispatchDueAsync());     // "being called" waits for the earlier message
        await DrainAsync(30);

        // (The confirmation already said the turn was near: its suppressed marker is the other "turn near" row.)
        var near = (await RowsAsync(MessageKind.TurnNear)).Single(m => m.DedupeKey.EndsWith(":test"));
        Assert.Equal((OutboxStatus.Expired, SendGate.TicketMovedOnReason), (near.Status, near.Error));
        Assert.Equal(OutboxStatus.Sent, Assert.Single(await RowsAsync(MessageKind.TicketCalled)).Status);
        var texts = SentTexts; // confirmation, the failed "turn near", "being called"
        Assert.Equal(["turno_ticket_confirmation", "turno_turn_near", "turno_ticket_called"], texts); // templates: no open 24-hour window
    }
}
