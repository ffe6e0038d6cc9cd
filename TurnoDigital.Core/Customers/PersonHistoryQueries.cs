using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Privacy;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Customers;

/// <summary>One intake answer, with the label the admin gave the field.</summary>
public sealed record IntakeAnswer(string Label, string Value);

/// <summary>One WhatsApp message to or from the person; an outbound one carries its delivery state and, failed, Meta's reason.</summary>
public sealed record ChatLine(DateTime AtLocal, bool Inbound, string Text, MessageKind? Kind, OutboxStatus? Status, string? Failure);

/// <summary>The newest messages, newest first, and whether older ones exist.</summary>
public sealed record ChatPage(IReadOnlyList<ChatLine> Lines, bool HasMore);

/// <summary>A reminder sent for an appointment (<paramref name="ForLocal"/>: the start it was written for).</summary>
public sealed record ReminderLine(DateTime AtLocal, MessageKind Kind, OutboxStatus Status, string? Failure, DateTime? ForLocal);

/// <summary>An earlier visit: a ticket (with its outcome, note and rating), or an appointment that never became one.</summary>
public sealed record VisitLine(DateTime AtLocal, string BranchName, string ServiceName, Channel Channel, string? Number,
    TicketStatus? TicketStatus, AppointmentStatus? AppointmentStatus, string? Note, int? Rating);

/// <summary>
/// What the desk's person panel shows for the ticket at the counter. <paramref name="Erased"/>: the person's data was erased
/// (or anonymised by retention), and nothing else is filled.
/// </summary>
public sealed record PersonHistoryView(bool Erased, Channel IntakeChannel, IReadOnlyList<IntakeAnswer> Intake, ChatPage Chat,
    IReadOnlyList<ReminderLine> Reminders, IReadOnlyList<VisitLine> Visits);

/// <summary>
/// The desk's view of the whole person behind the ticket being served: intake from whichever channel, the WhatsApp conversation,
/// reminders and earlier visits within the agent's branches. Only the agent holding the ticket may read it; opening is audited.
/// "The person" is what erasure removes (<see cref="PersonalDataService"/>), so after an erasure nothing personal is left to show.
/// </summary>
public sealed class PersonHistoryQueries(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public const int ChatPageSize = 10, MaxChat = 200, MaxReminders = 10, MaxVisits = 20, TextMax = 300;
    static readonly MessageKind[] ReminderKinds = [MessageKind.ReminderDayBefore, MessageKind.ReminderSameDay];

    /// <summary>Opens the panel: the first page of messages, and an audit entry (ids and counts only, no personal data).</summary>
    public async Task<PersonHistoryView> OpenAsync(long ticketId, string agentId, string? agentName, bool isAdmin, bool english = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, scope) = await GuardAsync(db, ticketId, agentId, isAdmin, ct);
        var person = await PersonAsync(db, ticket, ct);
        var view = person.Erased ? Empty(ticket.Channel) : await ReadAsync(db, ticket, person, scope, english, ct);
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, agentId, agentName, AuditActions.PersonViewedAtDesk, "Ticket", ticket.Id, ticket.BranchId,
            new { customer = ticket.CustomerId, erased = view.Erased, messages = view.Chat.Lines.Count, visits = view.Visits.Count });
        await db.SaveChangesAsync(ct);
        return view;
    }

    /// <summary>"Show more": the newest <paramref name="count"/> messages (capped at <see cref="MaxChat"/>).</summary>
    public async Task<ChatPage> ChatAsync(long ticketId, string agentId, bool isAdmin, int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ticket, scope) = await GuardAsync(db, ticketId, agentId, isAdmin, ct);
        var person = await PersonAsync(db, ticket, ct);
        if (person.Erased) return new ChatPage([], false);
        return await ChatAsync(db, person.WaIds, scope, await ZoneAsync(db, ticket.BranchId, ct), Math.Clamp(count, 1, MaxChat), ct);
    }

    /// <summary>Only the agent who called the ticket, while it is called or in service, at a branch they may see.</summary>
    static async Task<(Ticket Ticket, BranchScope Scope)> GuardAsync(TurnoDbContext db, long ticketId, string agentId, bool isAdmin, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null || ticket.AgentId != agentId || ticket.Status is not (TicketStatus.Called or TicketStatus.Serving))
            throw new DomainException("PersonPanel.NotYourTicket");
        var scope = await BranchScope.ForAsync(db, agentId, isAdmin, ct);
        if (!scope.Unrestricted && !scope.Allows(ticket.BranchId)) throw new DomainException("PersonPanel.NotYourTicket");
        return (ticket, scope);
    }

    sealed record Person(bool Erased, IReadOnlyList<int> Ids, IReadOnlyList<string> WaIds);

    /// <summary>The ticket's customer and every record erasure would treat as the same person (anonymised ones left out).</summary>
    static async Task<Person> PersonAsync(TurnoDbContext db, Ticket ticket, CancellationToken ct)
    {
        if (ticket.CustomerId is not int customerId)
            return new Person(false, [], ticket.ContactPhone is { } p ? [Outbox.WaId(p.Value)] : []);
        if (await db.Customers.AnyAsync(c => c.Id == customerId && c.AnonymisedAt != null, ct)) return new Person(true, [], []);
        var (ids, waIds) = await PersonalDataService.PersonAsync(db, [customerId], ct);
        var live = await db.Customers.Where(c => ids.Contains(c.Id) && c.AnonymisedAt == null).Select(c => c.Id).ToListAsync(ct);
        return new Person(false, live, waIds.Where(w => w != PersonalDataService.Anonymous).ToList());
    }

    static PersonHistoryView Empty(Channel channel) => new(true, channel, [], new ChatPage([], false), [], []);

    static async Task<TimeZoneInfo> ZoneAsync(TurnoDbContext db, int branchId, CancellationToken ct) =>
        BranchTime.Zone(await db.Branches.Where(b => b.Id == branchId).Select(b => b.TimeZoneId).SingleAsync(ct));

    async Task<PersonHistoryView> ReadAsync(TurnoDbContext db, Ticket ticket, Person person, BranchScope scope, bool english, CancellationToken ct)
    {
        var zone = await ZoneAsync(db, ticket.BranchId, ct);
        // Intake: the appointment's when the ticket came from one, else what the walk-in gave (kiosk, /fila, WhatsApp, API, desk).
        var appointment = ticket.AppointmentId is long aid
            ? await db.Appointments.AsNoTracking().Where(a => a.Id == aid).Select(a => new { a.ServiceId, a.IntakeData, a.Channel }).SingleOrDefaultAsync(ct)
            : null;
        var intake = appointment is not null
            ? await LabelledAsync(db, appointment.ServiceId, appointment.IntakeData, english, ct)
            : await LabelledAsync(db, ticket.ServiceId, ticket.IntakeData, english, ct);
        var chat = await ChatAsync(db, person.WaIds, scope, zone, ChatPageSize, ct);

        var reminders = person.WaIds.Count == 0 ? [] : await InScope(db.Outbox.AsNoTracking(), scope)
            .Where(o => person.WaIds.Contains(o.To) && ReminderKinds.Contains(o.Kind) && o.Status != OutboxStatus.Pending)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(MaxReminders)
            .Select(o => new { o.CreatedAt, o.SentAt, o.Kind, o.Status, o.ErrorCode, o.Error, o.AppointmentStart }).ToListAsync(ct);

        return new PersonHistoryView(false, appointment?.Channel ?? ticket.Channel, intake, chat,
            reminders.Select(r => new ReminderLine(BranchTime.ToLocal(r.SentAt ?? r.CreatedAt, zone), r.Kind, r.Status, Outbox.FailureText(r.Status, r.ErrorCode, r.Error),
                r.AppointmentStart is { } s ? BranchTime.ToLocal(s, zone) : null)).ToList(),
            await VisitsAsync(db, ticket, person.Ids, scope, ct));
    }

    /// <summary>Outbound rows about a branch outside the agent's scope are left out (they would tell of that visit).</summary>
    static IQueryable<OutboxMessage> InScope(IQueryable<OutboxMessage> q, BranchScope scope)
    {
        if (scope.Unrestricted) return q;
        var allowed = scope.Branches.Select(b => b.Id).ToList();
        return q.Where(o => o.BranchId == null || allowed.Contains(o.BranchId.Value));
    }

    static async Task<ChatPage> ChatAsync(TurnoDbContext db, IReadOnlyList<string> waIds, BranchScope scope, TimeZoneInfo zone, int count, CancellationToken ct)
    {
        if (waIds.Count == 0) return new ChatPage([], false);
        // One more than asked from each side tells whether anything older is left.
        var inbound = await db.InboundMessages.AsNoTracking().Where(m => waIds.Contains(m.From))
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(count + 1)
            .Select(m => new { m.Id, At = m.ReceivedAt, m.Type, m.Text }).ToListAsync(ct);
        var outbound = await InScope(db.Outbox.AsNoTracking(), scope).Where(o => waIds.Contains(o.To))
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(count + 1)
            .Select(o => new { o.Id, o.CreatedAt, o.SentAt, o.Kind, o.Status, o.Content, o.ErrorCode, o.Error }).ToListAsync(ct);
        var lines = inbound.Select(m => (At: m.At, Line: new ChatLine(BranchTime.ToLocal(m.At, zone), true, Short(m.Text ?? m.Type), null, null, null)))
            .Concat(outbound.Select(o => (At: o.SentAt ?? o.CreatedAt, Line: new ChatLine(BranchTime.ToLocal(o.SentAt ?? o.CreatedAt, zone), false,
                Short(Outbox.Deserialize(o.Content).Text), o.Kind, o.Status, Outbox.FailureText(o.Status, o.ErrorCode, o.Error)))))
            .OrderByDescending(x => x.At).ToList();
        return new ChatPage(lines.Take(count).Select(x => x.Line).ToList(), lines.Count > count);
    }

    async Task<List<VisitLine>> VisitsAsync(TurnoDbContext db, Ticket current, IReadOnlyList<int> ids, BranchScope scope, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var allowed = scope.Branches.Select(b => b.Id).ToList();
        var unrestricted = scope.Unrestricted;
        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && t.Id != current.Id && (unrestricted || allowed.Contains(t.BranchId)))
            .OrderByDescending(t => t.IssuedAt).Take(MaxVisits)
            .Select(t => new { t.IssuedAt, t.BranchId, t.ServiceId, t.Channel, t.Number, t.Status, t.OutcomeNote, t.Rating }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => ids.Contains(a.CustomerId) && a.TicketId == null && a.Start < now && (unrestricted || allowed.Contains(a.BranchId)))
            .OrderByDescending(a => a.Start).Take(MaxVisits)
            .Select(a => new { a.Start, a.BranchId, a.ServiceId, a.Channel, a.Code, a.Status }).ToListAsync(ct);
        var branches = await db.Branches.AsNoTracking().Select(b => new { b.Id, b.Name, b.TimeZoneId }).ToDictionaryAsync(b => b.Id, ct);
        var services = await db.Services.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        DateTime Local(DateTime utc, int branchId) => BranchTime.ToLocal(utc, BranchTime.Zone(branches[branchId].TimeZoneId));
        return tickets.Select(t => new VisitLine(Local(t.IssuedAt, t.BranchId), branches[t.BranchId].Name, services.GetValueOrDefault(t.ServiceId, "?"), t.Channel,
                t.Number, t.Status, null, t.OutcomeNote, t.Rating))
            .Concat(appointments.Select(a => new VisitLine(Local(a.Start, a.BranchId), branches[a.BranchId].Name, services.GetValueOrDefault(a.ServiceId, "?"), a.Channel,
                a.Code, null, a.Status, null, null)))
            .OrderByDescending(v => v.AtLocal).Take(MaxVisits).ToList();
    }


    static string Short(string s) => s.Length <= TextMax ? s : s[..(TextMax - 1)] + "…";

    /// <summary>Answers in the order of the service's fields, shown with their labels; a key no longer defined keeps its key.</summary>
    static async Task<IReadOnlyList<IntakeAnswer>> LabelledAsync(TurnoDbContext db, int serviceId, string? json, bool english, CancellationToken ct)
    {
        if (json is null) return [];
        var fields = await db.IntakeFields.AsNoTracking().Where(f => f.ServiceId == serviceId).OrderBy(f => f.Order).ToListAsync(ct);
        var answers = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return answers.Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
            .OrderBy(kv => fields.FindIndex(f => f.Key == kv.Key) is var i and >= 0 ? i : int.MaxValue)
            .Select(kv => new IntakeAnswer(fields.FirstOrDefault(f => f.Key == kv.Key)?.DisplayLabel(english) ?? kv.Key, kv.Value)).ToList();
    }
}
