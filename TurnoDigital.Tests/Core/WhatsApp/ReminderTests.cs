using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

public class ReminderTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    BookingService Bookings => h.Services.GetRequiredService<BookingService>();
    Reminders Reminders => h.Services.GetRequiredService<Reminders>();

    /// <summary>Local Bogotá time (UTC−5) in November 2026, as UTC. The clock starts on Wednesday the 25th at 10:00.</summary>
    static DateTime Local(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    async Task<AppointmentView> BookAsync(DateTime startUtc, string doc = "1020304050", string phone = "3001234567", bool consent = true)
    {
        var s = await h.ServiceAsync("Asesoría de créditos");
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, Channel.Web,
            new IntakeInput(DocumentType.CC, doc, "María Pérez", phone, "maria@example.co"), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: consent));
    }

    async Task<List<OutboxMessage>> RemindersAsync()
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == MessageKind.ReminderDayBefore || m.Kind == MessageKind.ReminderSameDay)
            .OrderBy(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task Day_before_at_the_local_hour_and_same_day_before_the_start_each_exactly_once()
    {
        var booked = await BookAsync(Local(26, 14, 30)); // Thursday 2:30 p. m.

        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(25, 17, 59)));
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(25, 18, 0)));   // 18:00 Bogotá = 23:00 UTC
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(25, 18, 1)));
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(26, 12, 29)));  // 121 minutes before
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(26, 12, 30)));
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(26, 13, 0)));

        var sent = await RemindersAsync();
        Assert.Equal([MessageKind.ReminderDayBefore, MessageKind.ReminderSameDay], sent.Select(m => m.Kind));
        Assert.Equal([$"appointment:{booked.Id}:reminder:day-before:202611261930", $"appointment:{booked.Id}:reminder:same-day:202611261930"], sent.Select(m => m.DedupeKey));
        Assert.All(sent, m => Assert.Equal((booked.Id, "573001234567", Local(26, 14, 30)), (m.AppointmentId, m.To, m.ExpiresAt)));
        Assert.Equal(Local(25, 18, 0), sent[0].CreatedAt);

        var dayBefore = Outbox.Deserialize(sent[0].Content);
        Assert.Contains("mañana, jueves 26 de noviembre, a las 2:30 p. m.: Asesoría de créditos en Sede Centro", dayBefore.Text);
        Assert.Contains($"Código: {booked.Code}", dayBefore.Text);
        Assert.Equal([($"appt:{booked.Id}:confirm", "Confirmar"), ($"appt:{booked.Id}:cancel", "Cancelar cita")],
            dayBefore.Buttons!.Select(b => (b.Id, b.Title)));
        Assert.Contains("Su cita es hoy a las 2:30 p. m.", Outbox.Deserialize(sent[1].Content).Text);
    }

    [Fact]
    public async Task Two_runs_at_the_same_moment_write_one_reminder()
    {
        await BookAsync(Local(26, 9));
        var runs = await Task.WhenAll(Reminders.RunRemindersAsync(Local(25, 19)), Reminders.RunRemindersAsync(Local(25, 19)));
        Assert.Equal(1, runs.Sum());
        Assert.Single(await RemindersAsync());
    }

    [Fact]
    public async Task Cancelled_checked_in_unconsented_and_opted_out_appointments_get_no_reminder()
    {
        var cancelled = await BookAsync(Local(26, 9), doc: "111111");
        await Bookings.CancelAsync(cancelled.Code, Channel.Web);
        await BookAsync(Local(26, 10), doc: "222222", phone: "3102222222", consent: false);
        await BookAsync(Local(26, 11), doc: "333333", phone: "3103333333");
        await using (var db = h.Db())
        {
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = "573103333333", State = "", OptedOutAt = h.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }
        var checkedIn = await BookAsync(Local(25, 11), doc: "444444", phone: "3104444444");
        h.Clock.SetUtcNow(Local(25, 10, 50));
        Assert.Equal(CheckInOutcome.CheckedIn, (await h.Services.GetRequiredService<CheckInService>().CheckInAsync(checkedIn.Id, Channel.Kiosk)).Outcome);
        var control = await BookAsync(Local(26, 12), doc: "555555", phone: "3105555555");

        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(25, 20)));
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(26, 10)));
        Assert.Equal([control.Id, control.Id], (await RemindersAsync()).Select(m => m.AppointmentId));
    }

    [Fact]
    public async Task Booked_after_the_reminder_hour_skips_the_day_before_reminder_but_not_the_same_day_one()
    {
        h.Clock.SetUtcNow(Local(25, 19));
        var late = await BookAsync(Local(26, 10));

        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(25, 19, 1)));
        Assert.Equal(1, await Reminders.RunRemindersAsync(Local(26, 8)));
        Assert.Equal(MessageKind.ReminderSameDay, Assert.Single(await RemindersAsync()).Kind);
        Assert.NotNull(late);
    }

    [Fact]
    public async Task Booked_inside_the_same_day_window_gets_no_same_day_reminder()
    {
        await BookAsync(Local(25, 11)); // booked at 10:00 for 11:00: the confirmation is enough
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(25, 10, 1)));
        Assert.Empty(await RemindersAsync());
    }

    [Fact]
    public async Task The_demo_action_sends_upcoming_reminders_at_once_still_once()
    {
        var tomorrow = await BookAsync(Local(26, 9), doc: "111111");
        var today = await BookAsync(Local(25, 16), doc: "222222", phone: "3102222222");

        Assert.Equal(2, await Reminders.RunRemindersAsync(Local(25, 10, 5), sendAllUpcoming: true));
        Assert.Equal(0, await Reminders.RunRemindersAsync(Local(25, 10, 6), sendAllUpcoming: true));
        var sent = await RemindersAsync();
        Assert.Equal([(tomorrow.Id, MessageKind.ReminderDayBefore), (today.Id, MessageKind.ReminderSameDay)],
            sent.Select(m => (m.AppointmentId!.Value, m.Kind)).OrderBy(x => x.Item2));
    }
}
