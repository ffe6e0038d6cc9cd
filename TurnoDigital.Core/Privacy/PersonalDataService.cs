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
public sealed class PersonalDataService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public async Task<IReadOnlyList<PersonSummary>> FindAsync(string? documentOrPhone, CancellationToken ct = default)
    {
        var text = (documentOrPhone ?? "").Trim();
        if (text.Length is < 3 or > 40) return [];
        var digits = new string(text.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        var phone = PhoneNumber.ParseOrNull(text);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Customers.AsNoTracking()
            .Where(c => c.Document!.Number == digits || (phone != null && c.Phone == phone))
            .Select(c => new PersonSummary(c.Id, c.FullName, c.Document == null ? null : c.Document.Type, c.Document == null ? null : c.Document.Number,
                c.Phone == null ? null : c.Phone.Value, c.Email == null ? null : c.Email.Value, c.CreatedAt, c.AnonymisedAt,
                db.Appointments.Count(a => a.CustomerId == c.Id), db.Tickets.Count(t => t.CustomerId == c.Id)))
            .Take(20).ToListAsync(ct);
    }

    /// <summary>Everything held about the person, as a JSON document (UTF-8). The export itself is audited.</summary>
    public async Task<byte[]> ExportAsync(int customerId, string? actorId, string? actorName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Customers.AsNoTracking().Include(x => x.Consents).FirstOrDefaultAsync(x => x.Id == customerId, ct)
            ?? throw new DomainException("Person.NotFound");
        var services = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var appointments = await db.Appointments.AsNoTracking().Where(a => a.CustomerId == customerId).OrderBy(a => a.Start).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.CustomerId == customerId).OrderBy(t => t.IssuedAt).ToListAsync(ct);
        var events = await db.JourneyEvents.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.At).ToListAsync(ct);
        var waId = c.Phone is null ? null : WhatsApp.Outbox.WaId(c.Phone.Value);
        var inbound = waId is null ? [] : await db.InboundMessages.AsNoTracking().Where(m => m.From == waId).OrderBy(m => m.Id).ToListAsync(ct);
        var outbound = waId is null ? [] : await db.Outbox.AsNoTracking().Where(m => m.To == waId).OrderBy(m => m.Id).ToListAsync(ct);
        var document = new
        {
            exportedAt = clock.GetUtcNow(),
            person = new { c.Id, c.FullName, documentType = c.Document?.Type.ToString(), DocumentNumber = c.Document?.Number, Phone = c.Phone?.Value, Email = c.Email?.Value, c.CreatedAt, c.AnonymisedAt },
            consents = c.Consents.Select(x => new { x.Purpose, channel = x.Channel.ToString(), x.TextVersion, x.GivenAt, x.WithdrawnAt }),
            appointments = appointments.Select(a => new { a.Code, service = services.GetValueOrDefault(a.ServiceId), a.Start, status = a.Status.ToString(),
                channel = a.Channel.ToString(), contactPhone = a.ContactPhone?.Value, a.ContactName, contactEmail = a.ContactEmail?.Value, a.WhatsAppOptIn, intake = a.IntakeData is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(a.IntakeData) }),
            tickets = tickets.Select(t => new { t.Number, service = services.GetValueOrDefault(t.ServiceId), t.IssuedAt, status = t.Status.ToString(),
                channel = t.Channel.ToString(), contactPhone = t.ContactPhone?.Value, t.ContactName, contactEmail = t.ContactEmail?.Value, t.WhatsAppOptIn, intake = t.IntakeData is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(t.IntakeData) }),
            journey = events.Select(e => new { e.At, kind = e.Kind.ToString(), channel = e.Channel.ToString() }),
            whatsAppReceived = inbound.Select(m => new { at = m.ReceivedAt, m.Type, m.Text }),
            whatsAppSent = outbound.Select(m => new { at = m.CreatedAt, kind = m.Kind.ToString(), status = m.Status.ToString(),
                text = WhatsApp.Outbox.Deserialize(m.Content).Text, m.SentAt, m.DeliveredAt, m.ReadAt }),
        };
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, actorName, AuditActions.PersonExported, "Customer", customerId);
        await db.SaveChangesAsync(ct);
        return JsonSerializer.SerializeToUtf8Bytes(document, Json);
    }

    /// <summary>Erasure on request: personal data and free-text answers go; visits and journey events stay as anonymous history.</summary>
    public async Task EraseAsync(int customerId, string? actorId, string? actorName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var erased = await AnonymiseAsync(db, db.Customers.Where(c => c.Id == customerId), now, ct);
        if (erased == 0) throw new DomainException("Person.NotFoundOrErased");
        AuditLog.Add(db, now, actorId, actorName, AuditActions.PersonErased, "Customer", customerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Retention sweeper: people with no booking or visit within the retention period are anonymised. Idempotent.</summary>
    public async Task<int> AnonymiseExpiredAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var days = (await db.Settings.AsNoTracking().FirstOrDefaultAsync(ct))?.RetentionDays ?? 730;
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

    static async Task<int> AnonymiseAsync(TurnoDbContext db, IQueryable<Customer> people, DateTime now, CancellationToken ct)
    {
        var list = await people.Where(c => c.AnonymisedAt == null).Include(c => c.Consents).ToListAsync(ct);
        var waIds = list.Where(c => c.Phone != null).Select(c => WhatsApp.Outbox.WaId(c.Phone!.Value)).ToList();
        if (waIds.Count > 0)
        {
            await AnonymiseMessagesAsync(db, db.InboundMessages.Where(m => waIds.Contains(m.From)), db.Outbox.Where(m => waIds.Contains(m.To)), ct);
            await db.WhatsAppContacts.Where(x => waIds.Contains(x.WaId)).ExecuteDeleteAsync(ct);
            foreach (var waId in waIds)
                await db.WebhookInbox.Where(i => i.ProcessedAt != null && i.Body.Contains(waId)).ExecuteDeleteAsync(ct);
        }
        foreach (var c in list)
        {
            (c.FullName, c.Phone, c.Email, c.Document, c.AnonymisedAt) = (null, null, null, null, now);
            foreach (var consent in c.Consents) consent.WithdrawnAt ??= now;
        }
        var ids = list.Select(c => c.Id).ToList();
        if (ids.Count > 0)
        {
            await db.Appointments.Where(a => ids.Contains(a.CustomerId) && a.IntakeData != null).ExecuteUpdateAsync(u => u.SetProperty(a => a.IntakeData, (string?)null), ct);
            await db.Tickets.Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && t.IntakeData != null).ExecuteUpdateAsync(u => u.SetProperty(t => t.IntakeData, (string?)null), ct);
            // The contact given with each visit is personal data too.
            await db.Appointments.Where(a => ids.Contains(a.CustomerId) && (a.ContactPhone != null || a.ContactName != null || a.ContactEmail != null))
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.ContactPhone, (PhoneNumber?)null).SetProperty(a => a.ContactName, (string?)null)
                    .SetProperty(a => a.ContactEmail, (EmailAddress?)null).SetProperty(a => a.WhatsAppOptIn, false), ct);
            await db.Tickets.Where(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && (t.ContactPhone != null || t.ContactName != null || t.ContactEmail != null))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ContactPhone, (PhoneNumber?)null).SetProperty(t => t.ContactName, (string?)null)
                    .SetProperty(t => t.ContactEmail, (EmailAddress?)null).SetProperty(t => t.WhatsAppOptIn, false), ct);
        }
        return list.Count;
    }

    /// <summary>Message bodies and numbers go; kinds, times and delivery states stay for the channel statistics.</summary>
    static async Task<int> AnonymiseMessagesAsync(TurnoDbContext db, IQueryable<WhatsApp.InboundMessage> inbound, IQueryable<WhatsApp.OutboxMessage> outbound, CancellationToken ct)
    {
        var emptied = WhatsApp.Outbox.Serialize(new WhatsApp.OutgoingContent(""));
        var n = await inbound.Where(m => m.From != Anonymous).ExecuteUpdateAsync(u => u.SetProperty(m => m.Text, (string?)null).SetProperty(m => m.From, Anonymous), ct);
        // Pending rows are left alone: the dispatcher still has to send or expire them.
        n += await outbound.Where(m => m.To != Anonymous && m.Status != WhatsApp.OutboxStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Content, emptied).SetProperty(m => m.To, Anonymous), ct);
        return n;
    }

    /// <summary>The wa_id left on anonymised message rows.</summary>
    public const string Anonymous = "0";
}
