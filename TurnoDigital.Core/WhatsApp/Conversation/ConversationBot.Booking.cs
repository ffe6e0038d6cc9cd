using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>Booking: service → branch → day → slot → intake fields → consent (first time) → summary → book.</summary>
public sealed partial class ConversationBot
{
    const int SlotsPerPage = 8, DaysShown = 10;

    /// <summary>Anything that is not a menu choice or a reply to a notification: an answer to the current step.</summary>
    async Task ContinueAsync(Turn t, Input input, CancellationToken ct)
    {
        var id = input.ChoiceId ?? "";
        if (id.StartsWith("svc:", StringComparison.Ordinal)) { await PickServiceAsync(t, IntOf(id), ct); return; }
        if (id.StartsWith("br:", StringComparison.Ordinal)) { await PickBranchAsync(t, IntOf(id), ct); return; }
        if (id.StartsWith("tk:", StringComparison.Ordinal)) { await PickTicketServiceAsync(t, IntOf(id), ct); return; }
        if (id.StartsWith("day:", StringComparison.Ordinal) && DateOnly.TryParseExact(id[4..], "yyyy-MM-dd", out var day)) { await PickDayAsync(t, day, ct); return; }
        if (id.StartsWith("slot:", StringComparison.Ordinal) && ParseSlot(id[5..]) is { } slot) { await PickSlotAsync(t, slot, ct); return; }
        if (id == "slots:more") { t.Data.SlotOffset += SlotsPerPage; await ShowSlotsAsync(t, null, ct); return; }
        if (id == "slots:days") { await ShowDaysAsync(t, null, ct); return; }
        if (id == "abort") { t.Restart(); t.Say(BotTexts.Aborted); return; }

        switch (t.State)
        {
            case States.BookDay or States.RescheduleDay when ParseTypedDate(input.Key, t.Now) is { } typed:
                await PickDayAsync(t, typed, ct);
                return;
            case States.BookField or States.BookDocumentNumber:
                await AnswerFieldAsync(t, input, ct);
                return;
            case States.BookConsent when id is "consent:yes" || input.Is(YesWords):
                t.Data.ConsentGiven = true;
                await AfterConsentAsync(t, ct);
                return;
            case States.BookConsent when id is "consent:no" || input.Is(NoWords):
                var declined = t.Data.Ticket ? BotTexts.TicketConsentDeclined : BotTexts.ConsentDeclined;
                t.Restart();
                t.Say(declined);
                return;
            case States.TicketCancelConfirm when input.Is(YesWords) && t.Data.TicketId is { } yes:
                await TicketActionAsync(t, $"ticket:{yes}:cancel-yes", ct);
                return;
            case States.TicketCancelConfirm when input.Is(NoWords) && t.Data.TicketId is { } no:
                await TicketActionAsync(t, $"ticket:{no}:keep", ct);
                return;
            case States.BookConfirm when id is "confirm" || input.Is(YesWords):
                await BookAsync(t, ct);
                return;
            case States.BookConfirm when input.Is(NoWords):
                t.Restart();
                t.Say(BotTexts.Aborted);
                return;
        }
        await RepeatStepAsync(t, ct);
    }

    /// <summary>Not an answer this step understands: say so and show the step again.</summary>
    async Task RepeatStepAsync(Turn t, CancellationToken ct)
    {
        switch (t.State)
        {
            case States.BookService: await StartBookingAsync(t, ct, BotTexts.PickFromList); break;
            case States.TicketService: await StartTicketAsync(t, ct, BotTexts.PickFromList); break;
            case States.TicketCancelPick: await StartTicketCancelAsync(t, ct, BotTexts.PickFromList); break;
            case States.TicketCancelConfirm when t.Data.TicketId is { } ticketId:
                await TicketActionAsync(t, $"ticket:{ticketId}:cancel", ct, BotTexts.PickFromList);
                break;
            case States.BookBranch when t.Data.ServiceId is { } s: await PickServiceAsync(t, s, ct, BotTexts.PickFromList); break;
            case States.BookDay or States.RescheduleDay: await ShowDaysAsync(t, BotTexts.PickFromList, ct); break;
            case States.BookSlot or States.RescheduleSlot: await ShowSlotsAsync(t, BotTexts.PickFromList, ct); break;
            case States.BookConsent: AskConsent(t, BotTexts.PickFromList); break;
            case States.BookConfirm: await ShowSummaryAsync(t, ct, BotTexts.PickFromList); break;
            case States.ChangePick: await StartChangeAsync(t, ct, BotTexts.PickFromList); break;
            case States.ChangeAction or States.CancelConfirm when t.Data.AppointmentId is { } a:
                await AppointmentActionAsync(t, $"appt:{a}:{(t.State == States.CancelConfirm ? "cancel" : "pick")}", ct, BotTexts.PickFromList);
                break;
            default: ShowMenu(t, BotTexts.NotUnderstood + " " + BotTexts.MenuBody); break;
        }
    }

    async Task StartBookingAsync(Turn t, CancellationToken ct, string? note = null)
    {
        var services = await catalog.GetServicesAsync(ct);
        if (services.Count == 0)
        {
            t.Say(BotTexts.NoServices);
            return;
        }
        t.Data = t.Data.Reset();
        t.Say(ChatContent.List(Prefixed(note, BotTexts.AskService), BotTexts.ListButton, services.Select(s => new Choice(
            $"svc:{s.Branches[0].ServiceId}", s.Name, s.Branches.Count == 1 ? s.Branches[0].BranchName : $"En {s.Branches.Count} sedes"))));
        t.Go(States.BookService);
    }

    async Task PickServiceAsync(Turn t, int serviceId, CancellationToken ct, string? note = null)
    {
        var service = (await catalog.GetServicesAsync(ct)).FirstOrDefault(s => s.Branches.Any(b => b.ServiceId == serviceId));
        if (service is null) { await StartBookingAsync(t, ct, BotTexts.PickFromList); return; }
        t.Data = t.Data.Reset();
        t.Data.ServiceId = serviceId;
        if (service.Branches.Count == 1) { await PickBranchAsync(t, service.Branches[0].ServiceId, ct); return; }
        t.Say(ChatContent.List(Prefixed(note, BotTexts.AskBranch), BotTexts.ListButton,
            service.Branches.Select(b => new Choice($"br:{b.ServiceId}", b.BranchName, b.Address))));
        t.Go(States.BookBranch);
    }

    /// <summary>Each branch has its own row of the service, so the branch choice carries that row's id.</summary>
    async Task PickBranchAsync(Turn t, int serviceId, CancellationToken ct)
    {
        var branch = (await catalog.GetServicesAsync(ct)).SelectMany(s => s.Branches).FirstOrDefault(b => b.ServiceId == serviceId);
        if (branch is null) { await StartBookingAsync(t, ct, BotTexts.PickFromList); return; }
        t.Data = t.Data.Reset();
        (t.Data.ServiceId, t.Data.BranchId) = (branch.ServiceId, branch.BranchId);
        t.Go(States.BookDay);
        await ShowDaysAsync(t, null, ct);
    }

    async Task ShowDaysAsync(Turn t, string? note, CancellationToken ct, string? body = null)
    {
        var rescheduling = States.IsReschedule(t.State);
        if (await LoadServiceAsync(t, ct) is not { } service) { await StartBookingAsync(t, ct); return; }
        var days = await availability.GetBookableDaysAsync(service.BranchId, service.Id, ct);
        if (days.Count == 0)
        {
            t.Restart();
            t.Say(Prefixed(note, BotTexts.NoDays));
            return;
        }
        var today = BranchTime.LocalDay(t.Now, service.Branch!.Zone);
        t.Say(ChatContent.List(Prefixed(note, body ?? BotTexts.AskDay), BotTexts.ListButton, days.Take(DaysShown).Select(d => new Choice(
            $"day:{d:yyyy-MM-dd}", BotTexts.ShortDay(d), d == today ? "Hoy" : d == today.AddDays(1) ? "Mañana" : null))));
        t.Go(rescheduling ? States.RescheduleDay : States.BookDay);
    }

    async Task PickDayAsync(Turn t, DateOnly day, CancellationToken ct)
    {
        if (await LoadServiceAsync(t, ct) is not { } service) { await StartBookingAsync(t, ct); return; }
        var free = (await availability.GetSlotsAsync(service.BranchId, service.Id, day, ct)).Where(s => s.Free > 0).ToList();
        if (free.Count == 0) { await ShowDaysAsync(t, BotTexts.DayNotAvailable, ct); return; }
        (t.Data.Day, t.Data.SlotOffset) = (day, 0);
        await ShowSlotsAsync(t, null, ct);
    }

    /// <summary>At most 10 rows: a page of times, then "more times" and "another day".</summary>
    async Task ShowSlotsAsync(Turn t, string? note, CancellationToken ct)
    {
        var rescheduling = States.IsReschedule(t.State);
        if (await LoadServiceAsync(t, ct) is not { } service || t.Data.Day is not { } day) { await ShowDaysAsync(t, note, ct); return; }
        var free = (await availability.GetSlotsAsync(service.BranchId, service.Id, day, ct)).Where(s => s.Free > 0).ToList();
        if (free.Count == 0) { await ShowDaysAsync(t, Prefixed(note, BotTexts.NoSlots), ct); return; }
        if (t.Data.SlotOffset >= free.Count) t.Data.SlotOffset = 0;
        var rows = free.Skip(t.Data.SlotOffset).Take(SlotsPerPage)
            .Select(s => new Choice($"slot:{s.StartUtc:yyyy-MM-dd'T'HH:mm}Z", BotTexts.Time(s.StartLocal))).ToList();
        if (t.Data.SlotOffset + SlotsPerPage < free.Count) rows.Add(new Choice("slots:more", BotTexts.MoreSlots, BotTexts.MoreSlotsHint));
        rows.Add(new Choice("slots:days", BotTexts.OtherDay, BotTexts.OtherDayHint));
        t.Say(ChatContent.List(Prefixed(note, BotTexts.AskSlot(day)), BotTexts.ListButton, rows));
        t.Go(rescheduling ? States.RescheduleSlot : States.BookSlot);
    }

    async Task PickSlotAsync(Turn t, DateTime startUtc, CancellationToken ct)
    {
        if (await LoadServiceAsync(t, ct) is not { } service) { await StartBookingAsync(t, ct); return; }
        var day = BranchTime.LocalDay(startUtc, service.Branch!.Zone);
        t.Data.Day = day;
        var slot = (await availability.GetSlotsAsync(service.BranchId, service.Id, day, ct)).FirstOrDefault(s => s.StartUtc == startUtc);
        if (States.IsReschedule(t.State)) { await RescheduleAsync(t, startUtc, ct); return; }
        if (slot is not { Free: > 0 }) { await ShowSlotsAsync(t, BotTexts.SlotGone, ct); return; }
        t.Data.SlotUtc = startUtc;
        t.Data.FieldIndex = 0;
        await AskNextFieldAsync(t, service, ct);
    }

    static void AskConsent(Turn t, string? note)
    {
        t.Say(ChatContent.Buttons(Prefixed(note, t.Data.Ticket ? BotTexts.TicketConsentText : BotTexts.ConsentText),
            [new Choice("consent:yes", BotTexts.Accept), new Choice("consent:no", BotTexts.Decline)]));
        t.Go(States.BookConsent);
    }

    async Task ShowSummaryAsync(Turn t, CancellationToken ct, string? note = null)
    {
        if (await LoadServiceAsync(t, ct) is not { } service || t.Data.SlotUtc is not { } start) { await StartBookingAsync(t, ct); return; }
        var details = new List<string>();
        foreach (var f in service.IntakeFields.OrderBy(f => f.Order))
        {
            var shown = f.Kind switch
            {
                IntakeFieldKind.Document => $"{t.Data.Answers.GetValueOrDefault(IntakeField.Keys.DocumentType)} {t.Data.Answers.GetValueOrDefault(IntakeField.Keys.Document)}",
                IntakeFieldKind.FullName => t.Data.Answers.GetValueOrDefault(IntakeField.Keys.FullName),
                IntakeFieldKind.Email => t.Data.Answers.GetValueOrDefault(IntakeField.Keys.Email),
                IntakeFieldKind.Phone => null, // it is this chat's number
                _ => t.Data.Answers.GetValueOrDefault(f.Key),
            };
            if (!string.IsNullOrWhiteSpace(shown)) details.Add($"{f.Label}: {shown.Trim()}");
        }
        var branch = service.Branch!;
        t.Say(ChatContent.Buttons(Prefixed(note, BotTexts.Summary(service.Name, branch.Name, branch.Address, BranchTime.ToLocal(start, branch.Zone), details)),
            [new Choice("confirm", BotTexts.Confirm), new Choice("abort", BotTexts.Abort)]));
        t.Go(States.BookConfirm);
    }

    async Task BookAsync(Turn t, CancellationToken ct)
    {
        if (t.Data is not { ServiceId: { } serviceId, BranchId: { } branchId, SlotUtc: { } start }) { await StartBookingAsync(t, ct); return; }
        AppointmentView booked;
        try
        {
            booked = await bookings.BookAsync(new BookingRequest(branchId, serviceId, start, Channel.WhatsApp, IntakeFrom(t.Data.Answers, null),
                RequestIdFor(t.Message), DataPolicyAccepted: t.Data.ConsentGiven, WhatsAppConsent: t.Data.ConsentGiven, ContactPhone: t.CustomerPhone), ct);
        }
        catch (SlotTakenException ex)
        {
            t.Data.SlotUtc = null;
            t.Data.SlotOffset = 0;
            t.Go(States.BookSlot);
            await ShowSlotsAsync(t, BotTexts.Of(ex), ct);
            return;
        }
        catch (IntakeValidationException ex)
        {
            await AskFieldAgainAsync(t, ex, ct);
            return;
        }
        catch (DomainException ex)
        {
            t.Restart();
            t.Say(BotTexts.Of(ex) + " " + BotTexts.MenuHint);
            return;
        }
        t.Contact.CustomerId = await t.Db.Appointments.Where(a => a.Id == booked.Id).Select(a => (int?)a.CustomerId).FirstOrDefaultAsync(ct);
        // A new express consent in this chat lifts an earlier BAJA (see OptOutAsync).
        t.Contact.OptedOutAt = null;
        t.Restart();
        t.Say(BotTexts.Booked(booked));
    }

    /// <summary>The service refused an answer after all (its fields changed meanwhile): that field is asked again.</summary>
    async Task AskFieldAgainAsync(Turn t, IntakeValidationException ex, CancellationToken ct)
    {
        var service = (await LoadServiceAsync(t, ct))!;
        var fields = service.IntakeFields.OrderBy(f => f.Order).ToList();
        var index = Math.Max(0, fields.FindIndex(f => ex.Errors.ContainsKey(f.Key)));
        t.Data.FieldIndex = index;
        AskField(t, fields[index], ex.Errors.Values.First());
    }

    Task<Service?> LoadServiceAsync(Turn t, CancellationToken ct) => t.Data switch
    {
        { Ticket: true, ServiceId: { } s, BranchId: { } b } => LoadRemoteServiceAsync(t.Db, b, s, ct),
        { ServiceId: { } s, BranchId: { } b } => AvailabilityService.LoadAsync(t.Db, b, s, ct),
        _ => Task.FromResult<Service?>(null),
    };

    static string Prefixed(string? note, string text) => string.IsNullOrWhiteSpace(note) ? text : note + "\n" + text;

    static int IntOf(string id) => int.TryParse(id[(id.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    static DateTime? ParseSlot(string s) =>
        DateTime.TryParseExact(s, "yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? DateTime.SpecifyKind(utc, DateTimeKind.Utc) : null;

    /// <summary>"15/12" or "15/12/2026" typed at the day step; without a year, the next such date.</summary>
    static DateOnly? ParseTypedDate(string key, DateTime now)
    {
        var parts = key.Split('/', '-', ' ');
        if (parts.Length is < 2 or > 3 || !int.TryParse(parts[0], out var d) || !int.TryParse(parts[1], out var m)) return null;
        var year = parts.Length == 3 && int.TryParse(parts[2], out var y) ? (y < 100 ? 2000 + y : y) : now.Year;
        if (m is < 1 or > 12 || year < now.Year || d < 1 || d > DateTime.DaysInMonth(year, m)) return null;
        var date = new DateOnly(year, m, d);
        return parts.Length == 2 && date < DateOnly.FromDateTime(now).AddDays(-1) ? date.AddYears(1) : date;
    }
}
