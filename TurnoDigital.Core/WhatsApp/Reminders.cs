using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>
/// Appointment reminders, in each branch's time zone: the day before at <see cref="WhatsAppOptions.DayBeforeReminderHour"/>
/// and <see cref="WhatsAppOptions.SameDayReminderMinutes"/> before the start, each once (dedupe key), with confirm / cancel
/// buttons, only for booked appointments of consenting people who did not opt out.
/// </summary>
/// <remarks>
/// A sweeper: a run catches up on what is due (the day-before reminder until local midnight, the same-day one until the start).
/// An appointment booked after its reminder moment (e.g. at 20:00 for tomorrow, or 30 minutes before) gets no such reminder:
/// its confirmation was just sent.
/// Reminders belong to the appointment's current start (it is in their dedupe key and <see cref="OutboxMessage.AppointmentStart"/>):
/// a moved appointment gets them again; a move, cancellation or check-in voids the pending ones (<see cref="Notifications"/>), and
/// the send gate re-checks before sending. They leave only within the branch's message hours (the gate holds them); a same-day
/// reminder that would fall before the morning's hours goes the evening before instead, unless the day-before one already went.
/// </remarks>
public sealed class Reminders(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, IOptionsMonitor<WhatsAppOptions> options, PublicLinks links,
    OrganizationCache configuration)
{
    static readonly string[] Purposes = [ConsentRecord.WhatsAppAppointmentUpdates];

    /// <summary>Reminders belong to the appointment's current start: a moved appointment gets its reminders again for the new one.</summary>
    public static string DayBeforeKey(long appointmentId, DateTime start) => $"appointment:{appointmentId}:reminder:day-before:{start:yyyyMMddHHmm}";
    public static string SameDayKey(long appointmentId, DateTime start) => $"appointment:{appointmentId}:reminder:same-day:{start:yyyyMMddHHmm}";

    /// <summary>An early slot's same-day reminder would fall in the night: it goes this many minutes before the evening's quiet hours.</summary>
    public const int EveningLeadMinutes = 60;

    /// <summary>The conversation understands these: confirm or cancel the appointment.</summary>
    public static IReadOnlyList<Choice> Buttons(long appointmentId) =>
        [new($"appt:{appointmentId}:confirm", "Confirmar"), new($"appt:{appointmentId}:cancel", "Cancelar cita")];

    /// <summary>What is due now; the recurring job calls this every minute. Returns how many reminders were written.</summary>
    public Task<int> RunRemindersAsync(CancellationToken ct = default) => RunRemindersAsync(clock.GetUtcNow().UtcDateTime, ct: ct);

    /// <summary>
    /// Writes the reminders due at <paramref name="now"/>. <paramref name="sendAllUpcoming"/> is the demo's "run reminders now":
    /// tomorrow's appointments get their day-before reminder and today's upcoming ones their same-day reminder at once
    /// (still once each).
    /// </summary>
    public async Task<int> RunRemindersAsync(DateTime now, bool sendAllUpcoming = false, CancellationToken ct = default)
    {
        var o = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var written = 0;
        foreach (var branch in await db.Branches.AsNoTracking().Select(b => new { b.Id, b.TimeZoneId, b.MessagesFromMinute, b.MessagesToMinute }).ToListAsync(ct))
        {
            var zone = BranchTime.Zone(branch.TimeZoneId);
            var today = BranchTime.LocalDay(now, zone);
            DateTime Utc(DateOnly day, int minute = 0) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue).AddMinutes(minute), zone);
            var window = TimeSpan.FromMinutes(Math.Max(0, o.SameDayReminderMinutes));
            // A same-day reminder due before the morning's message hours (an early slot) goes the evening before instead.
            var quiet = branch.MessagesToMinute > branch.MessagesFromMinute && (branch.MessagesFromMinute > 0 || branch.MessagesToMinute < 1440);
            DateTime MorningFrom(DateOnly day) => quiet ? Utc(day, branch.MessagesFromMinute) : Utc(day);

            var dayBeforeAt = Utc(today, Math.Clamp(o.DayBeforeReminderHour, 0, 23) * 60);
            var (tomorrow, dayAfter) = (Utc(today.AddDays(1)), Utc(today.AddDays(2)));
            if (sendAllUpcoming || now >= dayBeforeAt)
            {
                var due = await Booked(db, branch.Id).Where(a => a.Start >= tomorrow && a.Start < dayAfter && (sendAllUpcoming || a.CreatedAt < dayBeforeAt)).ToListAsync(ct);
                foreach (var a in due)
                    if (await RemindAsync(db, a, MessageKind.ReminderDayBefore, DayBeforeKey(a.Id, a.Start), SameDayKey(a.Id, a.Start), now, ct)) written++;
            }

            var eveningAt = Utc(today, Math.Max(branch.MessagesFromMinute, branch.MessagesToMinute - EveningLeadMinutes));
            if (quiet && !sendAllUpcoming && now >= eveningAt)
            {
                // Read the evening before, so it speaks of tomorrow; one evening reminder is enough when the day-before one went.
                var early = MorningFrom(today.AddDays(1)) + window;
                var due = await Booked(db, branch.Id).Where(a => a.Start >= tomorrow && a.Start < early && a.CreatedAt < eveningAt).ToListAsync(ct);
                foreach (var a in due)
                    if (await RemindAsync(db, a, MessageKind.ReminderDayBefore, SameDayKey(a.Id, a.Start), DayBeforeKey(a.Id, a.Start), now, ct)) written++;
            }

            var (soonest, todayEnd) = (now, tomorrow);
            var latest = sendAllUpcoming ? todayEnd : now + window;
            var notEarly = sendAllUpcoming ? soonest : MorningFrom(today) + window;
            var sameDay = await Booked(db, branch.Id).Where(a => a.Start > soonest && a.Start < todayEnd && a.Start <= latest && a.Start >= notEarly).ToListAsync(ct);
            foreach (var a in sameDay.Where(a => sendAllUpcoming || a.CreatedAt < a.Start - window))
                if (await RemindAsync(db, a, MessageKind.ReminderSameDay, SameDayKey(a.Id, a.Start), null, now, ct)) written++;
        }
        return written;
    }

    static IQueryable<Appointment> Booked(TurnoDbContext db, int branchId) =>
        db.Appointments.AsNoTracking().Include(a => a.Customer).Where(a => a.BranchId == branchId && a.Status == AppointmentStatus.Booked);

    /// <summary>
    /// One reminder, saved on its own: a second node that wrote it first makes this one a no-op. <paramref name="coveredBy"/>: a
    /// reminder that already said the same (the day-before one and an early slot's evening one).
    /// </summary>
    async Task<bool> RemindAsync(TurnoDbContext db, Appointment a, MessageKind kind, string key, string? coveredBy, DateTime now, CancellationToken ct)
    {
        if (await db.Outbox.AnyAsync(m => m.DedupeKey == key || m.DedupeKey == coveredBy, ct)) return false;
        var to = await Recipients.ResolveAsync(db, a.Customer, a.CustomerId, a.ContactPhone, a.WhatsAppOptIn, Purposes, ct: ct);
        if (to is null) return false;
        var config = await configuration.GetAsync(c => c.Services.ContainsKey(a.ServiceId));
        var service = config.Services[a.ServiceId];
        var text = MessageTexts.Get(config, kind);
        var content = MessageTexts.Compose(text, Notifications.AppointmentValues(a, service, links), Buttons(a.Id));
        // Pointless once the appointment has started.
        var message = await Outbox.AddAsync(db, to.Phone, kind, key, content, now, a.Start - now, ct);
        if (message is null) return false;
        (message.AppointmentId, message.BranchId, message.CustomerId, message.AppointmentStart) = (a.Id, a.BranchId, a.CustomerId, a.Start);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
