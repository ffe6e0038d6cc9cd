using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>
/// My appointments, cancel or reschedule, and the reminder buttons. Ids: "appt:{id}:pick|cancel|cancel-yes|keep|reschedule|confirm".
/// "appt:{id}:confirm" and "appt:{id}:cancel" are the reminder buttons of the notifications component. A cancel always asks
/// "are you sure?" first, from a reminder too: one stray tap must not lose a booked slot.
/// Only appointments whose contact phone is the sender's number are shown or changed: the number proves possession of itself,
/// nothing else (not the document of whoever booked with it).
/// </summary>
public sealed partial class ConversationBot
{
    const int AppointmentsShown = 10;

    async Task<List<AppointmentView>> UpcomingAsync(Turn t, CancellationToken ct)
    {
        var upcoming = await t.Db.Appointments.AsNoTracking()
            .Where(a => a.ContactPhone == t.CustomerPhone && a.Status == AppointmentStatus.Booked && a.Start > t.Now)
            .OrderBy(a => a.Start).Take(AppointmentsShown).ToListAsync(ct);
        var views = new List<AppointmentView>();
        foreach (var a in upcoming) views.Add(await BookingService.ViewAsync(t.Db, a, ct));
        return views;
    }

    async Task ShowMineAsync(Turn t, CancellationToken ct)
    {
        var mine = await UpcomingAsync(t, ct);
        t.Say(mine.Count == 0 ? BotTexts.NoAppointments : BotTexts.MyAppointments(mine));
    }

    async Task StartChangeAsync(Turn t, CancellationToken ct, string? note = null)
    {
        var mine = await UpcomingAsync(t, ct);
        if (mine.Count == 0)
        {
            t.Restart();
            t.Say(BotTexts.NoAppointmentsToChange);
            return;
        }
        t.Say(ChatContent.List(Prefixed(note, BotTexts.PickAppointment), BotTexts.ListButton, mine.Select(a => new Choice(
            $"appt:{a.Id}:pick", BotTexts.ShortDay(DateOnly.FromDateTime(a.StartLocal)) + " " + BotTexts.Time(a.StartLocal), $"{a.ServiceName} · {a.Code}"))));
        t.Go(States.ChangePick);
    }

    async Task AppointmentActionAsync(Turn t, string id, CancellationToken ct, string? note = null)
    {
        var parts = id.Split(':');
        var appointment = parts.Length == 3 && long.TryParse(parts[1], out var appointmentId)
            ? await t.Db.Appointments.FirstOrDefaultAsync(a => a.Id == appointmentId && a.ContactPhone == t.CustomerPhone, ct) : null;
        if (appointment is null)
        {
            t.Restart();
            t.Say(BotTexts.AppointmentNotFound);
            return;
        }
        var view = await BookingService.ViewAsync(t.Db, appointment, ct);
        var action = parts[2];
        // Cancelling what is already cancelled (a repeated tap, a retry after a crash) just says it is done.
        if (action is "cancel" or "cancel-yes" && appointment.Status == AppointmentStatus.Cancelled)
        {
            t.Restart();
            t.Say(BotTexts.Cancelled(view));
            return;
        }
        if (action == "keep")
        {
            t.Restart();
            t.Say(BotTexts.Kept);
            return;
        }
        if (!appointment.IsActive || appointment.Start <= t.Now)
        {
            t.Restart();
            t.Say(BotTexts.AppointmentInactive);
            return;
        }
        t.Data = t.Data.Reset();
        t.Data.AppointmentId = appointment.Id;
        switch (action)
        {
            case "pick":
                t.Say(ChatContent.Buttons(Prefixed(note, BotTexts.AppointmentActions(view)), [
                    new Choice($"appt:{appointment.Id}:cancel", BotTexts.CancelIt),
                    new Choice($"appt:{appointment.Id}:reschedule", BotTexts.RescheduleIt),
                    new Choice("menu", BotTexts.BackToMenu)]));
                t.Go(States.ChangeAction);
                break;
            case "cancel":
                t.Say(ChatContent.Buttons(Prefixed(note, BotTexts.ConfirmCancel(view)), [
                    new Choice($"appt:{appointment.Id}:cancel-yes", BotTexts.YesCancel),
                    new Choice($"appt:{appointment.Id}:keep", BotTexts.NoKeep)]));
                t.Go(States.CancelConfirm);
                break;
            case "cancel-yes":
                var cancelled = await bookings.CancelAsync(appointment.Code, Channel.WhatsApp, ct: ct);
                t.Restart();
                t.Say(BotTexts.Cancelled(cancelled));
                break;
            case "reschedule":
                (t.Data.ServiceId, t.Data.BranchId) = (appointment.ServiceId, appointment.BranchId);
                t.Go(States.RescheduleDay);
                await ShowDaysAsync(t, note, ct, BotTexts.AskRescheduleDay(view));
                break;
            case "confirm":
                // Once per appointment in the journey, however many times the button is tapped.
                if (!await t.Db.JourneyEvents.AnyAsync(e => e.AppointmentId == appointment.Id && e.Kind == JourneyEventKind.AppointmentConfirmed, ct))
                    appointment.Confirm(t.Now);
                t.Restart();
                t.Say(BotTexts.AppointmentConfirmed(view));
                break;
            default:
                ShowMenu(t, BotTexts.NotUnderstood + " " + BotTexts.MenuBody);
                break;
        }
    }

    async Task RescheduleAsync(Turn t, DateTime startUtc, CancellationToken ct)
    {
        var code = t.Data.AppointmentId is { } id ? await t.Db.Appointments.Where(a => a.Id == id).Select(a => a.Code).FirstOrDefaultAsync(ct) : null;
        if (code is null) { ShowMenu(t); return; }
        try
        {
            var moved = await bookings.RescheduleAsync(code, startUtc, Channel.WhatsApp, ct: ct);
            t.Restart();
            t.Say(BotTexts.Rescheduled(moved));
        }
        catch (SlotTakenException ex)
        {
            await ShowSlotsAsync(t, BotTexts.Of(ex), ct);
        }
        catch (DomainException ex)
        {
            t.Restart();
            t.Say(BotTexts.Of(ex) + " " + BotTexts.MenuHint);
        }
    }
}
