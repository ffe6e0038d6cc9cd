using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>
/// Business-initiated WhatsApp messages caused by journey events. Run by <see cref="NotificationInterceptor"/> while the
/// cause is being saved, so the outbox rows commit or fail together with it.
/// </summary>
/// <remarks>
/// "Your turn is near" is sent once, when a call brings a waiting ticket within <see cref="WhatsAppOptions.TurnNearPeopleAhead"/>
/// people or <see cref="WhatsAppOptions.TurnNearMinutes"/> minutes. A ticket issued already that near only gets its
/// confirmation (which says how many are ahead): a suppressed TurnNear row (status Expired) keeps later calls from
/// sending a redundant one.
/// A remote ticket (web /fila or WhatsApp) still waiting for its holder (<see cref="TicketStatus.Remote"/>) hears "confirm you are
/// here" (<see cref="MessageKind.ConfirmArrival"/>) once, when it would be that near had the person arrived now; after the arrival
/// the messages of any waiting ticket apply. Web remote tickets get the ticket confirmation with the arrival instruction;
/// WhatsApp ones do not: the bot's answer already said it all.
/// </remarks>
public sealed class Notifications(IOptionsMonitor<WhatsAppOptions> options, PublicLinks links, IOptionsMonitor<ContactLimits> limits,
    OrganizationCache configuration, WaitingLines lines)
{
    public static readonly TimeSpan TicketConfirmationTtl = TimeSpan.FromHours(1), CalledTtl = TimeSpan.FromMinutes(10),
        TurnNearTtl = TimeSpan.FromMinutes(20), RatingTtl = TimeSpan.FromHours(24), ConfirmArrivalTtl = TimeSpan.FromMinutes(30),
        ClosedNotArrivedTtl = TimeSpan.FromHours(2);

    public const string SuppressedNear = "No enviado: la confirmación del turno ya indicaba que estaba cerca.";
    public const string SuppressedConfirmArrival = "No enviado: al tomar el turno ya estaba cerca y se le indicó cómo confirmar su llegada.";

    /// <summary>The reasons of marker rows: dedupe records of a message that was never to be sent, not messages (no figure counts them).</summary>
    public static readonly string[] MarkerReasons = [SuppressedNear, SuppressedConfirmArrival];

    static readonly string[] TicketPurposes = [ConsentRecord.WhatsAppTicketUpdates];
    static readonly string[] AppointmentTicketPurposes = [ConsentRecord.WhatsAppTicketUpdates, ConsentRecord.WhatsAppAppointmentUpdates];
    static readonly string[] AppointmentPurposes = [ConsentRecord.WhatsAppAppointmentUpdates];

    WhatsAppOptions Options => options.CurrentValue;

    /// <summary>What a message is about: ids or (for rows not saved yet) the entities, so EF fills the ids on insert.</summary>
    sealed record Cause(int BranchId, Ticket? Ticket = null, long? TicketId = null, Appointment? Appointment = null);

    /// <summary>Messages added for customers not saved yet: their id is known only after the save.</summary>
    public sealed record PendingCustomer(OutboxMessage Message, Customer Customer);

    /// <summary>Adds the outbox rows for the journey events about to be inserted.</summary>
    public async Task<IReadOnlyList<PendingCustomer>> AddForAsync(TurnoDbContext db, CancellationToken ct = default)
    {
        // Events are only ever added through their DbSet, so finding them needs no change detection.
        var events = db.ChangeTracker.Tracked<JourneyEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var pending = new List<PendingCustomer>();
        if (events.Count == 0) return pending;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case JourneyEventKind.AppointmentBooked or JourneyEventKind.AppointmentRescheduled:
                    if (e.Kind == JourneyEventKind.AppointmentRescheduled) await VoidAppointmentMessagesAsync(db, e, ct);
                    await AppointmentConfirmationAsync(db, e, pending, ct);
                    break;
                case JourneyEventKind.AppointmentCancelled:
                    await VoidAppointmentMessagesAsync(db, e, ct);
                    break;
                case JourneyEventKind.TicketIssued when await TicketOfAsync(db, e, ct) is { } issued:
                    await TicketConfirmationAsync(db, issued, e.At, pending, ct);
                    break;
                case JourneyEventKind.RemoteTicketIssued when await TicketOfAsync(db, e, ct) is { } remote:
                    // Taken in a WhatsApp conversation: the bot's answer is the confirmation (only the "already near" markers are stored).
                    await TicketConfirmationAsync(db, remote, e.At, pending, ct, markersOnly: e.Channel == Channel.WhatsApp);
                    break;
                case JourneyEventKind.AppointmentCheckedIn:
                    await VoidAppointmentMessagesAsync(db, e, ct);
                    // The check-in's ticket is in the same save; its TicketIssued event leads to the same (deduplicated) message.
                    var appointment = e.Appointment;
                    var ticket = db.ChangeTracker.Tracked<Ticket>().Select(x => x.Entity)
                        .FirstOrDefault(t => (appointment is not null && t.Appointment == appointment) || (e.AppointmentId is long id && t.AppointmentId == id));
                    if (ticket is not null) await TicketConfirmationAsync(db, ticket, e.At, pending, ct);
                    break;
                case JourneyEventKind.TicketCalled or JourneyEventKind.TicketRecalled when await TicketOfAsync(db, e, ct) is { } called:
                    await TicketCalledAsync(db, called, e.At, pending, ct);
                    if (e.Kind == JourneyEventKind.TicketCalled && await AnyoneInLineToTellAsync(db, called, ct))
                    {
                        await TurnNearAsync(db, called, e.At, pending, ct);
                        await ConfirmArrivalAsync(db, called, e.At, pending, ct);
                    }
                    break;
                case JourneyEventKind.TicketReactivated when await TicketOfAsync(db, e, ct) is { } reactivated:
                    await TicketReactivatedAsync(db, reactivated, e.At, pending, ct);
                    break;
                case JourneyEventKind.ServiceCompleted when await TicketOfAsync(db, e, ct) is { } completed:
                    await RatingRequestAsync(db, completed, e.At, pending, ct);
                    break;
                case JourneyEventKind.TicketNotArrived when await TicketOfAsync(db, e, ct) is { } notArrived:
                    await ClosedNotArrivedAsync(db, notArrived, e.At, pending, ct);
                    break;
            }
        }
        return pending;
    }

    public const string VoidedReason = "No enviado: la cita cambió (se movió, se canceló o la persona llegó) antes del envío.";

    /// <summary>
    /// Reminders and confirmations still waiting to go for an appointment that moved, was cancelled or checked in are void at once
    /// (in the same save); rows of its current start survive a move. The send gate re-checks right before sending anyway.
    /// </summary>
    static async Task VoidAppointmentMessagesAsync(TurnoDbContext db, JourneyEvent e, CancellationToken ct)
    {
        var a = e.Appointment ?? (e.AppointmentId is long id ? await db.Appointments.FindAsync([id], ct) : null);
        if (a is null || a.Id == 0) return;
        var rows = await db.Outbox.Where(m => m.AppointmentId == a.Id && m.Status == OutboxStatus.Pending
            && (m.Kind == MessageKind.ReminderDayBefore || m.Kind == MessageKind.ReminderSameDay || m.Kind == MessageKind.AppointmentConfirmation
                || m.Kind == MessageKind.CancelledByBranch)).ToListAsync(ct);
        var keep = a.Status == AppointmentStatus.Booked ? a.Start : (DateTime?)null;
        foreach (var m in rows.Where(m => keep is null || m.AppointmentStart != keep))
        {
            (m.Status, m.Error) = (OutboxStatus.Expired, VoidedReason);
            db.Entry(m).State = EntityState.Modified;
        }
    }

    static async Task<Ticket?> TicketOfAsync(TurnoDbContext db, JourneyEvent e, CancellationToken ct) =>
        e.Ticket ?? (e.TicketId is long id ? await db.Tickets.FindAsync([id], ct) : null);

    async Task AppointmentConfirmationAsync(TurnoDbContext db, JourneyEvent e, List<PendingCustomer> pending, CancellationToken ct)
    {
        var a = e.Appointment ?? (e.AppointmentId is long id ? await db.Appointments.FindAsync([id], ct) : null);
        if (a is null || a.Status != AppointmentStatus.Booked) return;
        // Booked or moved in a WhatsApp conversation: the confirmation answers the person, no separate consent needed.
        var isReply = e.Channel == Channel.WhatsApp;
        var to = await Recipients.ResolveAsync(db, a.Customer, a.CustomerId, a.ContactPhone, a.WhatsAppOptIn, AppointmentPurposes, isReply, ct);
        if (to is null) return;
        var key = e.Kind == JourneyEventKind.AppointmentRescheduled ? $"appointment:{a.Code}:confirmation:{a.Start.Ticks}" : $"appointment:{a.Code}:confirmation";
        var service = await ServiceAsync(a.ServiceId);
        var values = AppointmentValues(a, service, links);
        // Pointless once the appointment has started.
        var message = await AddAsync(db, to, MessageKind.AppointmentConfirmation, key, values, e.At, a.Start > e.At ? a.Start - e.At : TimeSpan.FromHours(1),
            new Cause(a.BranchId, Appointment: a), pending, ct: ct);
        if (message is not null) message.AppointmentStart = a.Start;
    }

    /// <summary>
    /// The ticket confirmation, with what to do on arrival. Someone already near at issue is told so by it: a suppressed
    /// TurnNear (or, for a ticket waiting for its holder, ConfirmArrival) row keeps a later call from repeating it.
    /// <paramref name="markersOnly"/>: the confirmation went another way (the bot's answer); only the markers are stored.
    /// </summary>
    async Task TicketConfirmationAsync(TurnoDbContext db, Ticket t, DateTime now, List<PendingCustomer> pending, CancellationToken ct,
        bool markersOnly = false)
    {
        if (t.Status is not (TicketStatus.Waiting or TicketStatus.Remote)) return;
        var to = await TicketRecipientAsync(db, t, ct);
        if (to is null) return;
        var service = await ServiceAsync(t.ServiceId);
        // At issue a remote ticket's DueAt is its issue time: the place it would have if its holder arrived now.
        var (ahead, minutes) = await AheadAndEstimateAsync(db, service, t, now, ct);
        var values = TicketValues(t, service, ahead, minutes);
        values[Placeholders.Arrival] = t.Status == TicketStatus.Remote ? Conversation.BotTexts.ArrivalInstruction(t.Code)
            : t.IsRemote ? Conversation.BotTexts.LiveAtOnceInstruction : ArrivalTexts.InLine;
        var added = markersOnly ? null : await AddAsync(db, to, MessageKind.TicketConfirmation, $"ticket:{t.Code}:confirmation", values, now,
            TicketConfirmationTtl, new Cause(t.BranchId, Ticket: t), pending, ct: ct);
        if ((added is not null || markersOnly) && IsNear(ahead, minutes))
        {
            var (kind, key, reason) = t.Status == TicketStatus.Remote
                ? (MessageKind.ConfirmArrival, ConfirmArrivalKey(t.Code), SuppressedConfirmArrival)
                : (MessageKind.TurnNear, NearKey(t), SuppressedNear);
            var marker = await AddAsync(db, to, kind, key, values, now, TimeSpan.Zero, new Cause(t.BranchId, Ticket: t), pending, ct: ct);
            if (marker is not null) (marker.Status, marker.Error) = (OutboxStatus.Expired, reason);
        }
    }

    async Task TicketCalledAsync(TurnoDbContext db, Ticket t, DateTime now, List<PendingCustomer> pending, CancellationToken ct)
    {
        if (t.Status != TicketStatus.Called || t.CounterId is null) return;
        var to = await TicketRecipientAsync(db, t, ct);
        if (to is null) return;
        var service = await ServiceAsync(t.ServiceId);
        var counterId = t.CounterId.Value;
        var counter = (await configuration.GetAsync(c => c.Counters.ContainsKey(counterId))).Counters.GetValueOrDefault(counterId)?.Name ?? "la ventanilla";
        var values = TicketValues(t, service);
        values[Placeholders.Counter] = counter;
        await AddAsync(db, to, MessageKind.TicketCalled, $"{TicketKey(t)}:called:{t.CallCount}", values, now, CalledTtl, new Cause(t.BranchId, Ticket: t), pending, ct: ct);
    }

    /// <summary>
    /// One indexed read in Call next's transaction decides whether the line sweeps below run at all: most lines have
    /// nobody who left a number, and then a call costs no more reads than before WhatsApp.
    /// </summary>
    static Task<bool> AnyoneInLineToTellAsync(TurnoDbContext db, Ticket called, CancellationToken ct) => InLineToTell(db, called).AnyAsync(ct);

    /// <summary>The line's tickets whose holder left a number (an index holds only those, IX_Tickets_WithCustomer).</summary>
    internal static IQueryable<Ticket> InLineToTell(TurnoDbContext db, Ticket called) =>
        db.Tickets.Where(t => t.BranchId == called.BranchId && t.ServiceId == called.ServiceId && t.ServiceDay == called.ServiceDay
            && (t.Status == TicketStatus.Waiting || t.Status == TicketStatus.Remote) && t.CustomerId != null);

    /// <summary>After a call, the waiting tickets of that service that are now near (in the status page's order) hear it once.</summary>
    async Task TurnNearAsync(TurnoDbContext db, Ticket called, DateTime now, List<PendingCustomer> pending, CancellationToken ct)
    {
        var waiting = db.Tickets.AsNoTracking()
            .Where(t => t.BranchId == called.BranchId && t.ServiceId == called.ServiceId && t.ServiceDay == called.ServiceDay && t.Status == TicketStatus.Waiting);
        var service = await ServiceAsync(called.ServiceId);
        var (_, model) = await LineAsync(db, service, called.ServiceDay, now, ct);
        var near = 0;
        while (near < 1000 && IsNear(near, model.Minutes(service.Id, near))) near++;
        var line = await waiting.InCallOrder(now, CallOrder.For([service])).Take(near).ToListAsync(ct);
        var told = await KeysWrittenAsync(db, line.Where(t => t.CustomerId is not null).Select(NearKey), ct);
        for (var ahead = 0; ahead < line.Count; ahead++)
        {
            var t = line[ahead];
            if (t.CustomerId is null || told.Contains(NearKey(t))) continue;
            var to = await TicketRecipientAsync(db, t, ct);
            if (to is null) continue;
            await AddAsync(db, to, MessageKind.TurnNear, NearKey(t), TicketValues(t, service, ahead, model.Minutes(service.Id, ahead)), now, TurnNearTtl,
                new Cause(t.BranchId, TicketId: t.Id), pending, ct: ct);
        }
    }

    /// <summary>
    /// After a call, the service's remote tickets still waiting for their holder that would now be near, counted as if the
    /// holder arrived now (the status page's figures), hear once that they should come and confirm their arrival.
    /// </summary>
    async Task ConfirmArrivalAsync(TurnoDbContext db, Ticket called, DateTime now, List<PendingCustomer> pending, CancellationToken ct)
    {
        var remote = await db.Tickets.AsNoTracking()
            .Where(t => t.BranchId == called.BranchId && t.ServiceId == called.ServiceId && t.ServiceDay == called.ServiceDay
                && t.Status == TicketStatus.Remote && t.CustomerId != null)
            .OrderBy(t => t.IssuedAt).ToListAsync(ct);
        if (remote.Count == 0) return;
        var service = await ServiceAsync(called.ServiceId);
        var line = await LineAsync(db, service, called.ServiceDay, now, ct);
        var told = await KeysWrittenAsync(db, remote.Select(t => ConfirmArrivalKey(t.Code)), ct);
        foreach (var t in remote)
        {
            if (told.Contains(ConfirmArrivalKey(t.Code))) continue;
            // Untracked: the place it would take on arrival, for counting only; nothing is saved.
            t.PreviewArrival(now, service.RemoteFairnessMinutes);
            var (ahead, minutes) = await AheadAndEstimateAsync(db, service, t, now, ct, line);
            if (!IsNear(ahead, minutes)) continue;
            var to = await TicketRecipientAsync(db, t, ct);
            if (to is null) continue;
            var values = TicketValues(t, service, ahead, minutes);
            values[Placeholders.Code] = t.Code;
            await AddAsync(db, to, MessageKind.ConfirmArrival, ConfirmArrivalKey(t.Code), values, now, ConfirmArrivalTtl,
                new Cause(t.BranchId, TicketId: t.Id), pending, ct: ct);
        }
    }

    async Task RatingRequestAsync(TurnoDbContext db, Ticket t, DateTime now, List<PendingCustomer> pending, CancellationToken ct)
    {
        if (t.Status != TicketStatus.Completed || t.Id == 0) return;
        var to = await TicketRecipientAsync(db, t, ct);
        if (to is null) return;
        var service = await ServiceAsync(t.ServiceId);
        Choice Row(int n, string title) => new($"rate:{t.Id}:{n}", $"{n} - {title}");
        await AddAsync(db, to, MessageKind.RatingRequest, $"ticket:{t.Code}:rating", TicketValues(t, service), now, RatingTtl,
            new Cause(t.BranchId, Ticket: t), pending,
            rows: [Row(5, "Excelente"), Row(4, "Bueno"), Row(3, "Regular"), Row(2, "Malo"), Row(1, "Muy malo")], listButton: "Calificar", ct: ct);
    }

    /// <summary>The branch closed before the holder of a remote ticket arrived: they hear it, so nobody travels to a closed branch.</summary>
    async Task ClosedNotArrivedAsync(TurnoDbContext db, Ticket t, DateTime now, List<PendingCustomer> pending, CancellationToken ct)
    {
        if (t.Status != TicketStatus.NotArrived) return;
        var to = await TicketRecipientAsync(db, t, ct);
        if (to is null) return;
        var service = await ServiceAsync(t.ServiceId);
        await AddAsync(db, to, MessageKind.ClosedNotArrived, $"ticket:{t.Code}:closed-not-arrived", TicketValues(t, service), now, ClosedNotArrivedTtl,
            new Cause(t.BranchId, Ticket: t), pending, ct: ct);
    }

    /// <summary>
    /// People ahead of <paramref name="t"/> in its service's call order and the minutes they stand for, as the status page
    /// counts them (the ticket's priority and place). <paramref name="line"/>: one a caller already read for a whole line
    /// (the arrival sweep after a call), instead of one read per ticket.
    /// </summary>
    async Task<(int Ahead, int Minutes)> AheadAndEstimateAsync(TurnoDbContext db, Service service, Ticket t, DateTime now, CancellationToken ct,
        (IReadOnlyList<Ticket> Waiting, BranchWaitModel Model)? line = null)
    {
        var (waiting, model) = line ?? await LineAsync(db, service, t.ServiceDay, now, ct);
        var ahead = waiting.AheadOf(t, now, CallOrder.For([service])).Count();
        return (ahead, model.Minutes(service.Id, ahead));
    }

    /// <summary>Which of the sweep's dedupe keys already have a row: one read for the whole sweep, not one per ticket.</summary>
    static async Task<HashSet<string>> KeysWrittenAsync(TurnoDbContext db, IEnumerable<string> keys, CancellationToken ct)
    {
        var wanted = keys.ToArray();
        return wanted.Length == 0 ? [] : [.. await db.Outbox.Where(m => wanted.Contains(m.DedupeKey)).Select(m => m.DedupeKey).ToListAsync(ct)];
    }

    bool IsNear(int ahead, int minutes) => ahead <= Options.TurnNearPeopleAhead || minutes <= Options.TurnNearMinutes;

    /// <summary>
    /// The key prefix of a ticket's turn messages: a transfer or reactivation starts a new segment, whose "near" and "called"
    /// messages go out again (the first segment keeps the keys it always had).
    /// </summary>
    static string TicketKey(Ticket t) => t.Segment <= 1 ? $"ticket:{t.Code}" : $"ticket:{t.Code}:s{t.Segment}";

    static string NearKey(Ticket t) => $"{TicketKey(t)}:near";

    /// <summary>A no-show brought back: the person hears they are in line again, and where.</summary>
    async Task TicketReactivatedAsync(TurnoDbContext db, Ticket t, DateTime now, List<PendingCustomer> pending, CancellationToken ct)
    {
        if (t.Status != TicketStatus.Waiting) return;
        var to = await TicketRecipientAsync(db, t, ct);
        if (to is null) return;
        var service = await ServiceAsync(t.ServiceId);
        var (ahead, minutes) = await AheadAndEstimateAsync(db, service, t, now, ct);
        await AddAsync(db, to, MessageKind.TicketReactivated, $"{TicketKey(t)}:reactivated", TicketValues(t, service, ahead, minutes), now,
            TurnNearTtl, new Cause(t.BranchId, Ticket: t), pending, ct: ct);
    }

    static string ConfirmArrivalKey(string code) => $"ticket:{code}:confirm-arrival";

    /// <summary>Ticket updates need the kiosk's ticket consent; an appointment's ticket also goes with the appointment consent.</summary>
    static Task<Recipient?> TicketRecipientAsync(TurnoDbContext db, Ticket t, CancellationToken ct) =>
        Recipients.ResolveAsync(db, t.Customer, t.CustomerId, t.ContactPhone, t.WhatsAppOptIn, t.AppointmentId is null && t.Appointment is null ? TicketPurposes : AppointmentTicketPurposes, ct: ct);

    // Configuration (the service with its branch, counters, texts, the estimator's services) comes from the cache, not a read per message.
    async Task<Service> ServiceAsync(int serviceId) => (await configuration.GetAsync(c => c.Services.ContainsKey(serviceId))).Services[serviceId];

    /// <summary>The branch's waiting line (kept by <see cref="WaitingLines"/>) and the estimate over it.</summary>
    async Task<(IReadOnlyList<Ticket> Waiting, BranchWaitModel Model)> LineAsync(TurnoDbContext db, Service service, DateOnly day, DateTime now,
        CancellationToken ct)
    {
        var waiting = await lines.GetAsync(db, service.BranchId, day, ct);
        return (waiting, await WaitEstimator.LoadAsync(db, await configuration.GetAsync(), service.BranchId, day, now, ct, waiting: waiting));
    }

    async Task<OutboxMessage?> AddAsync(TurnoDbContext db, Recipient to, MessageKind kind, string key, IReadOnlyDictionary<string, string> values,
        DateTime now, TimeSpan ttl, Cause cause, List<PendingCustomer> pending, IReadOnlyList<Choice>? buttons = null, IReadOnlyList<Choice>? rows = null,
        string? listButton = null, CancellationToken ct = default)
    {
        if (kind is MessageKind.AppointmentConfirmation or MessageKind.TicketConfirmation && await ConfirmationsExhaustedAsync(db, to.Phone, now, ct)) return null;
        var text = MessageTexts.Get(await configuration.GetAsync(), kind);
        var message = await Outbox.AddAsync(db, to.Phone, kind, key, MessageTexts.Compose(text, values, buttons, rows, listButton), now, ttl, ct);
        if (message is null) return null;
        message.BranchId = cause.BranchId;
        // Navigations, so EF fills in the ids of a ticket or appointment inserted by this same save.
        if (cause.Ticket is { } ticket) message.Ticket = ticket; else message.TicketId = cause.TicketId;
        if (cause.Appointment is { } appointment) message.Appointment = appointment;
        if (to.Customer.Id != 0) message.CustomerId = to.Customer.Id;
        else pending.Add(new PendingCustomer(message, to.Customer));
        return message;
    }

    /// <summary>
    /// The cap on confirmations per phone and hour: whoever types someone else's number into many bookings or tickets
    /// cannot flood that phone with messages.
    /// </summary>
    async Task<bool> ConfirmationsExhaustedAsync(TurnoDbContext db, string phone, DateTime now, CancellationToken ct)
    {
        var waId = Outbox.WaId(phone);
        var since = now.AddHours(-1);
        var sent = db.Outbox.Local.Count(m => m.Id == 0 && m.To == waId && m.Kind is MessageKind.AppointmentConfirmation or MessageKind.TicketConfirmation)
            + await db.Outbox.CountAsync(m => m.To == waId && m.CreatedAt > since
                && (m.Kind == MessageKind.AppointmentConfirmation || m.Kind == MessageKind.TicketConfirmation), ct);
        return sent >= Math.Max(1, limits.CurrentValue.ConfirmationsPerHour);
    }

    public static Dictionary<string, string> AppointmentValues(Appointment a, Service service, PublicLinks links)
    {
        var zone = service.Branch!.Zone;
        var start = BranchTime.ToLocal(a.Start, zone);
        return new()
        {
            [Placeholders.Code] = a.Code, [Placeholders.Service] = service.Name, [Placeholders.Date] = MessageFormat.Date(start),
            [Placeholders.Time] = MessageFormat.Time(start), [Placeholders.Branch] = service.Branch.Name,
            [Placeholders.Address] = string.IsNullOrWhiteSpace(service.Branch.Address) ? "-" : service.Branch.Address,
            [Placeholders.Link] = links.AppointmentUrl(a.Code),
        };
    }

    Dictionary<string, string> TicketValues(Ticket t, Service service, int? ahead = null, int? minutes = null)
    {
        var values = new Dictionary<string, string>
        {
            [Placeholders.Number] = t.Number, [Placeholders.Service] = service.Name, [Placeholders.Branch] = service.Branch!.Name,
            [Placeholders.Link] = links.TicketUrl(t.Code),
        };
        if (ahead is int a) values[Placeholders.PeopleAhead] = a.ToString();
        if (minutes is int m) values[Placeholders.Minutes] = m.ToString();
        return values;
    }
}
