using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Privacy;

public sealed record PersonSummary(int Id, string? FullName, DocumentType? DocumentType, string? DocumentNumber, string? Phone, string? Email,
    DateTime CreatedAt, DateTime? AnonymisedAt, int Appointments, int Tickets);

/// <summary>
/// Ley 1581 de 2012 (habeas data): what is held about one person can be exported and erased on request, and
/// personal data past the retention period is anonymised. Visits stay as anonymous rows, so statistics survive.
/// </summary>
public sealed class PersonalDataService(IDbContextFactory<TurnoDbContext> dbFactory, NumberHash hashes, TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public async Task<IReadOnlyList<PersonSummary>> FindAsync(string? documentOrPhone, CancellationToken ct = default)
    {
        var text = (documentOrPhone ?? "").Trim();
        if (text.Length is < 3 or > 40) return [];
        var digits = new string(text.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        var phone = PhoneNumber.ParseOrNull(text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A number the person had before counts too (the contact history keeps it).
        var formerly = db.CustomerContacts.Where(x => (x.Kind == ContactKind.Document && x.Value == digits)
            || (phone != null && x.Kind == ContactKind.Phone && x.Value == phone.Value)).Select(x => x.CustomerId);
        return await db.Customers.AsNoTracking()
            .Where(c => c.Document!.Number == digits || (phone != null && c.Phone == phone) || formerly.Contains(c.Id))
            .Select(c => new PersonSummary(c.Id, c.FullName, c.Document == null ? null : c.Document.Type, c.Document == null ? null : c.Document.Number,
                c.Phone == null ? null : c.Phone.Value, c.Email == null ? null : c.Email.Value, c.CreatedAt, c.AnonymisedAt,
                db.Appointments.Count(a => a.CustomerId == c.Id), db.Tickets.Count(t => t.CustomerId == c.Id)))
            .Take(20).ToListAsync(ct);
    }

    /// <summary>
    /// The person behind <paramref name="customerId"/>: that record and every other one sharing a phone or document it ever had
    /// (a kiosk visit by phone and a booking by document are two records of one person), with all their WhatsApp numbers (wa_id).
    /// </summary>
    internal static async Task<(List<int> Ids, List<string> WaIds)> PersonAsync(TurnoDbContext db, IReadOnlyCollection<int> customerIds, CancellationToken ct)
    {
        var contacts = await ContactsAsync(db, customerIds, ct);
        var phones = contacts.Where(x => x.Kind == ContactKind.Phone).Select(x => x.Value).ToList();
        var documents = contacts.Where(x => x.Kind == ContactKind.Document).Select(x => x.Value).ToList();
        var ids = customerIds.Concat(await db.CustomerContacts.Where(x => (x.Kind == ContactKind.Phone && phones.Contains(x.Value))
                || (x.Kind == ContactKind.Document && documents.Contains(x.Value))).Select(x => x.CustomerId).ToListAsync(ct))
            .Concat(await db.Customers.Where(c => c.Document != null && documents.Contains(c.Document.Number)).Select(c => c.Id).ToListAsync(ct))
            .ToList();
        // Records from before the contact history existed are found by their current phone.
        foreach (var phone in phones.Select(PhoneNumber.FromStored))
            ids.AddRange(await db.Customers.Where(c => c.Phone == phone).Select(c => c.Id).ToListAsync(ct));
        ids = ids.Distinct().ToList();
        return (ids, await WaIdsAsync(db, ids, ct));
    }

    /// <summary>
    /// The WhatsApp numbers of these customers: their phones, current and former, the phones given for their visits and the
    /// conversations linked to them. (Visit phones do not link other records: a stranger's phone on a visit is not the stranger.)
    /// </summary>
    static async Task<List<string>> WaIdsAsync(TurnoDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var visitPhones = (await db.Appointments.Where(a => ids.Contains(a.CustomerId) && a.ContactPhone != null).Select(a => a.ContactPhone!).ToListAsync(ct))
            .Concat(await db.Tickets.Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && t.ContactPhone != null).Select(t => t.ContactPhone!).ToListAsync(ct));
        return (await ContactsAsync(db, ids, ct)).Where(x => x.Kind == ContactKind.Phone).Select(x => x.Value)
            .Concat(visitPhones.Select(p => p.Value)).Select(WhatsApp.Outbox.WaId)
            .Concat(await db.WhatsAppContacts.Where(x => x.CustomerId != null && ids.Contains(x.CustomerId.Value)).Select(x => x.WaId).ToListAsync(ct))
            .Distinct().ToList();
    }

    /// <summary>Current and former phones and documents of these customers.</summary>
    static async Task<List<(ContactKind Kind, string Value)>> ContactsAsync(TurnoDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var current = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Phone, c.Document }).ToListAsync(ct);
        var former = await db.CustomerContacts.AsNoTracking().Where(x => ids.Contains(x.CustomerId)).Select(x => new { x.Kind, x.Value }).ToListAsync(ct);
        return current.Where(c => c.Phone != null).Select(c => (ContactKind.Phone, c.Phone!.Value))
            .Concat(current.Where(c => c.Document != null).Select(c => (ContactKind.Document, c.Document!.Number)))
            .Concat(former.Select(x => (x.Kind, x.Value))).Distinct().ToList();
    }

    /// <summary>Everything held about the person (every record linked by a phone or document), as a JSON document (UTF-8). The export itself is audited.</summary>
    public async Task<byte[]> ExportAsync(int customerId, string? actorId, string? actorName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Customers.AsNoTracking().Include(x => x.Consents).FirstOrDefaultAsync(x => x.Id == customerId, ct)
            ?? throw new DomainException("Person.NotFound");
        var (ids, waIds) = await PersonAsync(db, [customerId], ct);
        var linked = await db.Customers.AsNoTracking().Include(x => x.Consents).Where(x => ids.Contains(x.Id) && x.Id != customerId).ToListAsync(ct);
        var services = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var appointments = await db.Appointments.AsNoTracking().Where(a => ids.Contains(a.CustomerId)).OrderBy(a => a.Start).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value)).OrderBy(t => t.IssuedAt).ToListAsync(ct);
        var events = await db.JourneyEvents.AsNoTracking().Where(e => e.CustomerId != null && ids.Contains(e.CustomerId.Value)).OrderBy(e => e.At).ToListAsync(ct);
        var contacts = await db.CustomerContacts.AsNoTracking().Where(x => ids.Contains(x.CustomerId)).OrderBy(x => x.FirstSeenAt).ToListAsync(ct);
        var whatsApp = await db.WhatsAppContacts.AsNoTracking().Where(x => waIds.Contains(x.WaId)).ToListAsync(ct);
        var inbound = await db.InboundMessages.AsNoTracking().Where(m => waIds.Contains(m.From)).OrderBy(m => m.Id).ToListAsync(ct);
        var outbound = await db.Outbox.AsNoTracking().Where(m => waIds.Contains(m.To)).OrderBy(m => m.Id).ToListAsync(ct);
        static object Person(Customer c) => new
        {
            c.Id, c.FullName, documentType = c.Document?.Type.ToString(), DocumentNumber = c.Document?.Number, Phone = c.Phone?.Value,
            Email = c.Email?.Value, c.CreatedAt, c.AnonymisedAt,
        };
        var document = new
        {
            exportedAt = clock.GetUtcNow(),
            person = Person(c),
            linkedRecords = linked.Select(Person),
            contactHistory = contacts.Select(x => new { kind = x.Kind.ToString(), x.Value, x.FirstSeenAt }),
            consents = c.Consents.Concat(linked.SelectMany(x => x.Consents))
                .Select(x => new { x.Purpose, channel = x.Channel.ToString(), x.TextVersion, x.GivenAt, x.WithdrawnAt }),
            appointments = appointments.Select(a => new { a.Code, service = services.GetValueOrDefault(a.ServiceId), a.Start, status = a.Status.ToString(),
                channel = a.Channel.ToString(), contactPhone = a.ContactPhone?.Value, a.ContactName, contactEmail = a.ContactEmail?.Value, a.WhatsAppOptIn, intake = Intake(a.IntakeData) }),
            tickets = tickets.Select(t => new { t.Number, service = services.GetValueOrDefault(t.ServiceId), t.IssuedAt, status = t.Status.ToString(),
                channel = t.Channel.ToString(), contactPhone = t.ContactPhone?.Value, t.ContactName, contactEmail = t.ContactEmail?.Value, t.WhatsAppOptIn,
                intake = Intake(t.IntakeData), outcomeNote = t.OutcomeNote }),
            journey = events.Select(e => new { e.At, kind = e.Kind.ToString(), channel = e.Channel.ToString() }),
            whatsAppConversations = whatsApp.Select(x => new { waId = x.WaId, state = x.State, data = x.Data, x.StateUpdatedAt, x.LastInboundAt, x.OptedOutAt }),
            whatsAppReceived = inbound.Select(m => new { at = m.ReceivedAt, m.Type, m.Text }),
            whatsAppSent = outbound.Select(m => new { at = m.CreatedAt, kind = m.Kind.ToString(), status = m.Status.ToString(),
                text = WhatsApp.Outbox.Deserialize(m.Content).Text, m.SentAt, m.DeliveredAt, m.ReadAt }),
        };
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, actorName, AuditActions.PersonExported, "Customer", customerId);
        await db.SaveChangesAsync(ct);
        return JsonSerializer.SerializeToUtf8Bytes(document, Json);
    }

    static Dictionary<string, string>? Intake(string? json) => json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);

    /// <summary>
    /// Erasure on request: personal data, free text and WhatsApp traces of every record of the person go; visits and journey events
    /// stay as anonymous history. Their numbers are suppressed (a keyed hash) so nothing is sent to them again, and on SQLite the
    /// write-ahead log is folded into the (securely deleting) database file so no old copy of a page survives.
    /// </summary>
    public async Task EraseAsync(int customerId, string? actorId, string? actorName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await db.Customers.AnyAsync(c => c.Id == customerId && c.AnonymisedAt == null, ct)) throw new DomainException("Person.NotFoundOrErased");
            var (ids, waIds) = await PersonAsync(db, [customerId], ct);
            await hashes.SuppressAsync(db, waIds, SuppressedNumber.Erased, now, ct);
            await AnonymiseAsync(db, db.Customers.Where(c => ids.Contains(c.Id)), now, ct, waIds);
            AuditLog.Add(db, now, actorId, actorName, AuditActions.PersonErased, "Customer", customerId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await CheckpointAsync(db, ct);
    }

    /// <summary>SQLite: folds the write-ahead log into the database file and empties it. A reader in the way is waited for a little.</summary>
    static async Task CheckpointAsync(TurnoDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            for (var attempt = 0; attempt < 40; attempt++)
            {
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await using (var r = await cmd.ExecuteReaderAsync(ct))
                    if (await r.ReadAsync(ct) && r.GetInt32(0) == 0) return; // first column: 1 when it could not finish
                await Task.Delay(50, ct);
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>Retention sweeper: people with no booking or visit within the retention period are anonymised. Idempotent.</summary>
    public async Task<int> AnonymiseExpiredAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var days = (await db.Settings.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(ct))?.RetentionDays ?? 730;
        var cutoff = now.AddDays(-days);
        var expired = db.Customers.Where(c => c.AnonymisedAt == null && c.CreatedAt < cutoff
            && !db.Appointments.Any(a => a.CustomerId == c.Id && (a.Start >= cutoff || a.CreatedAt >= cutoff))
            && !db.Tickets.Any(t => t.CustomerId == c.Id && t.IssuedAt >= cutoff));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var count = await AnonymiseAsync(db, expired, now, ct);
        var messages = await AnonymiseMessagesAsync(db, db.InboundMessages.Where(m => m.ReceivedAt < cutoff), db.Outbox.Where(m => m.CreatedAt < cutoff), ct);
        // Raw webhook payloads are only a transport buffer: a week is plenty to investigate a problem.
        var buffer = now.AddDays(-Math.Min(7, days));
        await db.WebhookInbox.Where(i => i.ProcessedAt != null && i.ReceivedAt < buffer).ExecuteDeleteAsync(ct);
        if (count + messages > 0) AuditLog.Add(db, now, null, "system", AuditActions.RetentionAnonymised, "Customer", null, details: new { count, messages, retentionDays = days });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>Removes the personal data of <paramref name="people"/> and of their WhatsApp numbers (<paramref name="waIds"/>, else their own).</summary>
    async Task<int> AnonymiseAsync(TurnoDbContext db, IQueryable<Customer> people, DateTime now, CancellationToken ct, IReadOnlyCollection<string>? waIds = null)
    {
        var list = await people.Where(c => c.AnonymisedAt == null).Include(c => c.Consents).ToListAsync(ct);
        var ids = list.Select(c => c.Id).ToList();
        if (ids.Count == 0) return 0;
        waIds ??= await WaIdsAsync(db, ids, ct);
        if (waIds.Count > 0)
        {
            // An opt-out must outlive the contact record that held it.
            var optedOut = await db.WhatsAppContacts.Where(x => waIds.Contains(x.WaId) && x.OptedOutAt != null).Select(x => x.WaId).ToListAsync(ct);
            await hashes.SuppressAsync(db, optedOut, SuppressedNumber.OptedOut, now, ct);
            await db.Outbox.Where(m => waIds.Contains(m.To) && m.Status == WhatsApp.OutboxStatus.Pending).ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, WhatsApp.OutboxStatus.Expired).SetProperty(m => m.Error, CancelledByErasure)
                .SetProperty(m => m.Content, Emptied).SetProperty(m => m.To, Anonymous), ct);
            await AnonymiseMessagesAsync(db, db.InboundMessages.Where(m => waIds.Contains(m.From)), db.Outbox.Where(m => waIds.Contains(m.To)), ct);
            await db.WhatsAppContacts.Where(x => waIds.Contains(x.WaId)).ExecuteDeleteAsync(ct);
            // Raw payloads hold the number, the profile name and what was typed: they go, processed or not.
            foreach (var waId in waIds)
                await db.WebhookInbox.Where(i => i.Body.Contains(waId)).ExecuteDeleteAsync(ct);
        }
        foreach (var c in list)
        {
            (c.FullName, c.Phone, c.Email, c.Document, c.AnonymisedAt) = (null, null, null, null, now);
            foreach (var consent in c.Consents) consent.WithdrawnAt ??= now;
        }
        await db.CustomerContacts.Where(x => ids.Contains(x.CustomerId)).ExecuteDeleteAsync(ct);
        await db.Appointments.Where(a => ids.Contains(a.CustomerId) && a.IntakeData != null).ExecuteUpdateAsync(u => u.SetProperty(a => a.IntakeData, (string?)null), ct);
        await db.Tickets.Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && (t.IntakeData != null || t.OutcomeNote != null))
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.IntakeData, (string?)null).SetProperty(t => t.OutcomeNote, (string?)null), ct);
        // The contact given with each visit is personal data too.
        await db.Appointments.Where(a => ids.Contains(a.CustomerId) && (a.ContactPhone != null || a.ContactName != null || a.ContactEmail != null))
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.ContactPhone, (PhoneNumber?)null).SetProperty(a => a.ContactName, (string?)null)
                .SetProperty(a => a.ContactEmail, (EmailAddress?)null).SetProperty(a => a.WhatsAppOptIn, false), ct);
        await db.Tickets.Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && (t.ContactPhone != null || t.ContactName != null || t.ContactEmail != null))
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.ContactPhone, (PhoneNumber?)null).SetProperty(t => t.ContactName, (string?)null)
                .SetProperty(t => t.ContactEmail, (EmailAddress?)null).SetProperty(t => t.WhatsAppOptIn, false), ct);
        return list.Count;
    }

    public const string CancelledByErasure = "Cancelado: los datos de la persona fueron suprimidos.";
    static readonly string Emptied = WhatsApp.Outbox.Serialize(new WhatsApp.OutgoingContent(""));

    /// <summary>Message bodies and numbers go; kinds, times and delivery states stay for the channel statistics.</summary>
    static async Task<int> AnonymiseMessagesAsync(TurnoDbContext db, IQueryable<WhatsApp.InboundMessage> inbound, IQueryable<WhatsApp.OutboxMessage> outbound, CancellationToken ct)
    {
        var n = await inbound.Where(m => m.From != Anonymous).ExecuteUpdateAsync(u => u.SetProperty(m => m.Text, (string?)null).SetProperty(m => m.From, Anonymous), ct);
        // Pending rows are left alone: the dispatcher still has to send or expire them.
        n += await outbound.Where(m => m.To != Anonymous && m.Status != WhatsApp.OutboxStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Content, Emptied).SetProperty(m => m.To, Anonymous), ct);
        return n;
    }

    /// <summary>The wa_id left on anonymised message rows.</summary>
    public const string Anonymous = "0";
}
