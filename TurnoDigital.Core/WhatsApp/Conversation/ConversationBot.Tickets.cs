using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>
/// "Estado de mi turno" (with "Cancelar turno" for remote tickets not yet called, "ticket:{id}:cancel") and ratings
/// ("rate:{ticketId}:{1-5}", the rating request's options or a typed digit).
/// </summary>
public sealed partial class ConversationBot
{
    static readonly TicketStatus[] OpenStatuses = [TicketStatus.Waiting, TicketStatus.Called, TicketStatus.Serving, TicketStatus.Remote];

    async Task ShowTicketsAsync(Turn t, CancellationToken ct)
    {
        var lines = new List<string>();
        var cancellable = new List<Choice>();
        foreach (var (id, code) in await OpenTicketsAsync(t, OpenStatuses, ct))
            if (await queries.GetStatusAsync(code, ct) is { } status) // the same figures as the /t/ status page
            {
                lines.Add(BotTexts.TicketLine(status, links.TicketUrl(code)));
                if (CanCancel(status)) cancellable.Add(new Choice($"ticket:{id}:cancel", BotTexts.CancelTicketButton(status.Number), status.ServiceName));
            }
        if (lines.Count == 0) t.Say(BotTexts.NoTickets + " " + BotTexts.MenuHint);
        else if (cancellable.Count == 0) t.Say(string.Join("\n\n", lines));
        else if (cancellable.Count <= OutgoingContent.MaxButtons) t.Say(ChatContent.Buttons(string.Join("\n\n", lines), cancellable));
        else t.Say(ChatContent.List(string.Join("\n\n", lines), BotTexts.CancelTicket, cancellable));
    }

    /// <summary>Today's tickets whose contact phone is this number (every open ticket is closed, Expired, at the end of its service day).</summary>
    static async Task<List<(long Id, string Code)>> OpenTicketsAsync(Turn t, TicketStatus[] statuses, CancellationToken ct)
    {
        var since = t.Now.AddHours(-24);
        var rows = await t.Db.Tickets.AsNoTracking()
            .Where(x => x.ContactPhone == t.CustomerPhone && statuses.Contains(x.Status) && x.IssuedAt >= since)
            .OrderBy(x => x.IssuedAt).Select(x => new { x.Id, x.Code }).Take(5).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.Code)).ToList();
    }

    /// <summary>A remote ticket not called yet; one taken at the kiosk is cancelled at the desk (<see cref="QueueService.CancelRemoteAsync"/>).</summary>
    static bool CanCancel(TicketStatusView s) => s.IsRemote && s.Status is TicketStatus.Remote or TicketStatus.Waiting;

    /// <summary>
    /// "Tomar turno": the walk-in services open now that take remote tickets, each with its line and wait. When none is open
    /// because their branches are closed (closing time, or a day closed early), the answer names each branch's next opening.
    /// </summary>
    async Task StartTicketAsync(Turn t, CancellationToken ct, string? note = null)
    {
        var branches = await t.Db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).OrderBy(b => b.Name).ToListAsync(ct);
        var rows = new List<Choice>();
        var closed = new List<string>();
        foreach (var b in branches)
        {
            if (await queries.GetPublicBranchAsync(b.Id, ct) is not { } branch) continue;
            var dayClosed = await QueueService.IsDayClosedAsync(t.Db, b, t.Now, ct);
            if (dayClosed || !branch.IsOpen)
            {
                if (b.NextOpeningLocal(t.Now, notToday: dayClosed) is { } next && await t.Db.Services.AnyAsync(s => s.BranchId == b.Id && s.IsActive
                        && s.AllowsRemoteTickets && (s.Mode == Organization.ServiceMode.WalkIn || s.Mode == Organization.ServiceMode.Both), ct))
                    closed.Add(BotTexts.BranchClosed(b.Name, dayClosed, new OpeningTime(next)));
                continue;
            }
            // With several branches each row says which one: one list instead of a branch step.
            var where = branches.Count > 1 ? branch.BranchName + " · " : "";
            foreach (var line in branch.Lines.Where(l => l.AllowsRemoteTickets))
                rows.Add(new Choice($"tk:{line.Line.Id}", line.Line.Name, where + (line.RemotePlacesLeft > 0
                    ? BotTexts.LineWait(line.Line.Waiting, line.Line.EstimatedWaitMinutes) : BotTexts.NoRemotePlaces)));
        }
        t.Data = t.Data.Reset();
        if (rows.Count == 0)
        {
            t.Restart();
            t.Say(closed.Count == 0 ? BotTexts.NoRemoteServices : string.Join("\n", closed) + " " + BotTexts.MenuHint);
            return;
        }
        t.Data.Ticket = true;
        t.Say(ChatContent.List(Prefixed(note, BotTexts.AskTicketService), BotTexts.ListButton, rows));
        t.Go(States.TicketService);
    }

    async Task PickTicketServiceAsync(Turn t, int serviceId, CancellationToken ct)
    {
        var branchId = await t.Db.Services.Where(s => s.Id == serviceId).Select(s => (int?)s.BranchId).FirstOrDefaultAsync(ct);
        var service = branchId is { } b ? await LoadRemoteServiceAsync(t.Db, b, serviceId, ct) : null;
        if (service is null) { await StartTicketAsync(t, ct, BotTexts.PickFromList); return; }
        // Closed meanwhile (closing time, or a supervisor closed the day): said now, with the next opening, not after the questions.
        await QueueService.EnsureIssuingAsync(t.Db, service.Branch!, t.Now, ct);
        // Full, or this number already holds one: said now rather than after the intake questions (the issue checks again).
        await queue.EnsureRemoteRoomAsync(t.Db, service, BranchTime.LocalDay(t.Now, service.Branch!.Zone), t.CustomerPhone, null, ct);
        t.Data = t.Data.Reset();
        (t.Data.Ticket, t.Data.ServiceId, t.Data.BranchId, t.Data.FieldIndex) = (true, service.Id, service.BranchId, 0);
        await AskNextFieldAsync(t, service, ct);
    }

    static Task<Organization.Service?> LoadRemoteServiceAsync(TurnoDbContext db, int branchId, int serviceId, CancellationToken ct) =>
        db.Services.AsNoTracking().Include(s => s.IntakeFields).Include(s => s.Branch).ThenInclude(b => b!.Hours).Include(s => s.Branch).ThenInclude(b => b!.ClosedDates)
            .FirstOrDefaultAsync(s => s.Id == serviceId && s.BranchId == branchId && s.IsActive && s.AllowsRemoteTickets
                && (s.Mode == Organization.ServiceMode.WalkIn || s.Mode == Organization.ServiceMode.Both), ct);

    /// <summary>Intake answered and consent on record: the ticket. A refusal of the queue's rules reaches the person as its DomainException.</summary>
    async Task TakeTicketAsync(Turn t, CancellationToken ct)
    {
        if (t.Data is not { ServiceId: { } serviceId, BranchId: { } branchId }) { await StartTicketAsync(t, ct); return; }
        TicketStatusView ticket;
        try
        {
            ticket = await queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, serviceId, Channel.WhatsApp, RequestIdFor(t.Message, "whatsapp-ticket"),
                t.Phone, WhatsAppConsent: t.Data.ConsentGiven, DataPolicyAccepted: t.Data.ConsentGiven, IntakeFrom(t.Data.Answers, null)), ct);
        }
        catch (IntakeValidationException ex)
        {
            await AskFieldAgainAsync(t, ex, ct);
            return;
        }
        t.Contact.CustomerId = await t.Db.Tickets.Where(x => x.Code == ticket.Code).Select(x => x.CustomerId).FirstOrDefaultAsync(ct);
        // A new express consent in this chat lifts an earlier BAJA (see OptOutAsync).
        t.Contact.OptedOutAt = null;
        t.Restart();
        t.Say(BotTexts.TicketTaken(ticket, links.TicketUrl(ticket.Code)));
    }

    /// <summary>"cancelar turno" typed: the one remote ticket to cancel, or a list when there are several.</summary>
    async Task StartTicketCancelAsync(Turn t, CancellationToken ct, string? note = null)
    {
        var choices = new List<Choice>();
        foreach (var (id, code) in await OpenTicketsAsync(t, [TicketStatus.Remote, TicketStatus.Waiting], ct))
            if (await queries.GetStatusAsync(code, ct) is { } s && CanCancel(s))
                choices.Add(new Choice($"ticket:{id}:cancel", s.Number, s.ServiceName));
        if (choices.Count == 0) { t.Say(BotTexts.NoRemoteTicketsToCancel); return; }
        if (choices.Count == 1) { await TicketActionAsync(t, choices[0].Id, ct, note); return; }
        t.Say(ChatContent.List(Prefixed(note, BotTexts.PickTicketToCancel), BotTexts.ListButton, choices));
        t.Go(States.TicketCancelPick);
    }

    /// <summary>"ticket:{id}:cancel" asks first; "…:cancel-yes" frees the place; "…:keep" leaves it. Only the holder's number may.</summary>
    async Task TicketActionAsync(Turn t, string id, CancellationToken ct, string? note = null)
    {
        t.Restart();
        var parts = id.Split(':');
        var ticket = parts.Length == 3 && long.TryParse(parts[1], out var ticketId)
            ? await t.Db.Tickets.AsNoTracking().Where(x => x.Id == ticketId && x.ContactPhone == t.CustomerPhone)
                .Select(x => new { x.Id, x.Code }).FirstOrDefaultAsync(ct) : null;
        var status = ticket is null ? null : await queries.GetStatusAsync(ticket.Code, ct);
        if (ticket is null || status is null)
        {
            t.Say(BotTexts.TicketNotFound + " " + BotTexts.MenuHint);
            return;
        }
        switch (parts[2])
        {
            case "cancel-yes" when status.Status == TicketStatus.Cancelled:
                t.Say(BotTexts.TicketCancelled(status)); // handed again after a crash: already done
                return;
            case "cancel-yes":
                t.Say(BotTexts.TicketCancelled(await queue.CancelRemoteAsync(ticket.Code, Channel.WhatsApp, ct)));
                return;
            case "keep":
                t.Say(BotTexts.TicketKept + "\n" + BotTexts.TicketLine(status, links.TicketUrl(ticket.Code)));
                return;
            case "cancel" when CanCancel(status):
                t.Data.TicketId = ticket.Id;
                t.Say(ChatContent.Buttons(Prefixed(note, BotTexts.ConfirmCancelTicket(status)),
                    [new Choice($"ticket:{ticket.Id}:cancel-yes", BotTexts.YesCancelTicket), new Choice($"ticket:{ticket.Id}:keep", BotTexts.NoKeepTicket)]));
                t.Go(States.TicketCancelConfirm);
                return;
            default:
                t.Say(BotTexts.TicketLine(status, links.TicketUrl(ticket.Code)) + "\n" + BotTexts.TicketNotCancellable);
                return;
        }
    }

    async Task RateAsync(Turn t, string id, CancellationToken ct)
    {
        t.Restart();
        var parts = id.Split(':');
        var ticket = parts.Length == 3 && long.TryParse(parts[1], out var ticketId)
            ? await t.Db.Tickets.FirstOrDefaultAsync(x => x.Id == ticketId && x.ContactPhone == t.CustomerPhone, ct) : null;
        if (ticket is null || ticket.Status != TicketStatus.Completed || !int.TryParse(parts[2], out var score) || score is < 1 or > 5)
        {
            t.Say(BotTexts.TicketNotFound + " " + BotTexts.MenuHint);
            return;
        }
        if (ticket.Rating is not null)
        {
            t.Say(BotTexts.AlreadyRated);
            return;
        }
        ticket.Rate(score, Channel.WhatsApp, t.Now);
        t.Say(BotTexts.RatingThanks);
    }
}
