using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Supervision;

public enum TimelineSource { Journey, WhatsAppIn, WhatsAppOut }

/// <summary>One step of a person's journey, in the time zone of the branch it happened in.</summary>
public sealed record TimelineItem(
    DateTime AtUtc, DateTime AtLocal, TimelineSource Source, Channel Channel, JourneyEventKind? Event, MessageKind? Message,
    OutboxStatus? Status, string? Detail, string? BranchName, string? ServiceName, string? CounterName, string? TicketNumber,
    int? Segment = null);

/// <summary>A person found by the search; personal data shown masked, anonymised people as anonymous.</summary>
public sealed record JourneyPerson(int CustomerId, string? FullName, string? MaskedDocument, string? MaskedPhone, bool Anonymised);

public sealed record JourneyResult(string MaskedKey, IReadOnlyList<JourneyPerson> People, IReadOnlyList<TimelineItem> Timeline);

/// <summary>
/// Journey traceability: a person by document or phone → one timeline of journey events and WhatsApp messages,
/// limited to the searcher's branches. Every look-up is audited with the key masked (never the raw document).
/// </summary>
public sealed partial class JourneyTrace(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Rows read per source; a timeline longer than this shows its most recent part.</summary>
    public const int MaxPerSource = 300;

    /// <summary>
    /// A document is matched with its <paramref name="documentType"/> when given (CC 123 and TI 123 are different people), as at
    /// the desk and the kiosk; a mobile number matches whatever the type.
    /// </summary>
    public async Task<JourneyResult> SearchAsync(string? text, BranchScope scope, string? actorId, string? actorName, DocumentType? documentType = null,
        CancellationToken ct = default)
    {
        text = (text ?? "").Trim();
        var document = new string(text.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        if (text.Length > 40 || document.Length < 3) throw new DomainException("Journey.QueryTooShort");
        var phone = PhoneNumber.ParseOrNull(text);
        var masked = phone is not null ? MaskPhone(phone.Value) : documentType is { } type ? $"{type} {Mask(document)}" : Mask(document);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customers = await db.Customers.AsNoTracking()
            .Where(c => (c.Document!.Number == document && (documentType == null || c.Document.Type == documentType)) || (phone != null && c.Phone == phone))
            .OrderBy(c => c.Id).Take(20).ToListAsync(ct);
        var ids = customers.Select(c => c.Id).ToList();
        var waIds = customers.Where(c => c.Phone != null).Select(c => c.Phone!.Value.TrimStart('+')).Append(phone?.Value.TrimStart('+')).OfType<string>().Distinct().ToList();
        // People known by the WhatsApp number only (inbound messages linked to a customer, e.g. anonymised since).
        var linked = await db.InboundMessages.Where(m => waIds.Contains(m.From) && m.CustomerId != null).Select(m => m.CustomerId!.Value)
            .Union(db.Outbox.Where(o => waIds.Contains(o.To) && o.CustomerId != null).Select(o => o.CustomerId!.Value))
            .Where(id => !ids.Contains(id)).Take(20).ToListAsync(ct);
        if (linked.Count > 0)
        {
            customers.AddRange(await db.Customers.AsNoTracking().Where(c => linked.Contains(c.Id)).ToListAsync(ct));
            ids.AddRange(linked);
        }

        var allowed = scope.Branches.Select(b => b.Id).ToList();
        var events = await db.JourneyEvents.AsNoTracking()
            .Where(e => e.CustomerId != null && ids.Contains(e.CustomerId.Value) && (scope.Unrestricted || allowed.Contains(e.BranchId)))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(MaxPerSource)
            .Select(e => new { e.At, e.Id, e.Kind, e.Channel, e.BranchId, e.ServiceId, e.CounterId, e.TicketId, Number = e.Ticket != null ? e.Ticket.Number : null, Rating = e.Ticket != null ? e.Ticket.Rating : null, e.Segment })
            .ToListAsync(ct);
        // A restricted supervisor sees the person's branch-less messages only when the person is a client of one of their branches.
        var inScope = scope.Unrestricted || events.Count > 0
            || await db.Appointments.AnyAsync(a => ids.Contains(a.CustomerId) && allowed.Contains(a.BranchId), ct)
            || await db.Tickets.AnyAsync(t => t.CustomerId != null && ids.Contains(t.CustomerId.Value) && allowed.Contains(t.BranchId), ct);
        var outbox = await db.Outbox.AsNoTracking()
            .Where(o => (o.CustomerId != null && ids.Contains(o.CustomerId.Value)) || waIds.Contains(o.To))
            .Where(o => o.BranchId == null ? inScope : scope.Unrestricted || allowed.Contains(o.BranchId.Value))
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(MaxPerSource)
            .Select(o => new { o.Id, o.Kind, o.Status, o.CreatedAt, o.ErrorCode, o.Error, o.BranchId })
            .ToListAsync(ct);
        var inbound = !inScope ? [] : await db.InboundMessages.AsNoTracking()
            .Where(m => waIds.Contains(m.From) || (m.CustomerId != null && ids.Contains(m.CustomerId.Value)))
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(MaxPerSource)
            .Select(m => new { m.Id, m.Type, m.Text, m.ReplyId, m.SentAt, m.ReceivedAt }).ToListAsync(ct);

        var branches = await db.Branches.AsNoTracking().Select(b => new { b.Id, b.Name, b.TimeZoneId }).ToDictionaryAsync(b => b.Id, ct);
        var services = await db.Services.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var counters = await db.Counters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var home = BranchTime.Zone(scope.Branches.FirstOrDefault()?.TimeZoneId);
        TimeZoneInfo Zone(int? branchId) => branchId is int b && branches.TryGetValue(b, out var x) ? BranchTime.Zone(x.TimeZoneId) : home;
        string? BranchName(int? branchId) => branchId is int b && branches.TryGetValue(b, out var x) ? x.Name : null;

        var timeline = new List<TimelineItem>();
        timeline.AddRange(events.Select(e => new TimelineItem(e.At, BranchTime.ToLocal(e.At, Zone(e.BranchId)), TimelineSource.Journey, e.Channel, e.Kind, null, null,
            e.Kind == JourneyEventKind.ServiceRated && e.Rating is int r ? $"{r}/5" : null, BranchName(e.BranchId),
            e.ServiceId is int s ? services.GetValueOrDefault(s) : null, e.CounterId is int c ? counters.GetValueOrDefault(c) : null, e.Number, e.Segment)));
        timeline.AddRange(inbound.Select(m => new TimelineItem(m.ReceivedAt, BranchTime.ToLocal(m.ReceivedAt, home), TimelineSource.WhatsAppIn, Channel.WhatsApp,
            null, null, null, Summarise(m.Type, m.Text, m.ReplyId), null, null, null, null)));
        timeline.AddRange(outbox.Select(o => new TimelineItem(o.CreatedAt, BranchTime.ToLocal(o.CreatedAt, Zone(o.BranchId)), TimelineSource.WhatsAppOut, Channel.WhatsApp,
            null, o.Kind, o.Status, Outbox.FailureText(o.Status, o.ErrorCode, o.Error), BranchName(o.BranchId), null, null, null)));
        var ordered = timeline.OrderBy(t => t.AtUtc).ThenBy(t => t.Source).ToList();

        var visible = scope.Unrestricted || inScope ? customers : [];
        var people = visible.Select(c => new JourneyPerson(c.Id, c.AnonymisedAt is null ? c.FullName : null,
            c.Document is null ? null : Mask(c.Document.Number), c.Phone is null ? null : MaskPhone(c.Phone.Value), c.AnonymisedAt is not null)).ToList();

        var entityIds = string.Join(",", people.Select(p => p.CustomerId));
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, actorName, AuditActions.JourneyViewed, "Customer",
            entityIds.Length is 0 or > AuditEntry.EntityIdMax ? null : entityIds, scope.Unrestricted ? null : scope.Branches.FirstOrDefault()?.Id,
            new { key = masked, by = phone is not null ? "phone" : "document", people = people.Count, steps = ordered.Count });
        await db.SaveChangesAsync(ct);
        return new JourneyResult(masked, people, ordered);
    }

    /// <summary>"******5678": enough to recognise a number, not to reuse it (ASCII, so the audit JSON stays readable).</summary>
    public static string Mask(string value) => value.Length <= 4 ? new string('*', value.Length) : new string('*', value.Length - 4) + value[^4..];

    public static string MaskPhone(string e164) => e164.Length <= 4 ? Mask(e164) : (e164.StartsWith("+57") ? "+57 " : "+") + "*** *** " + e164[^4..];

    /// <summary>A tapped button or row shows its title; typed text a short excerpt with long digit runs (documents, phones) hidden.</summary>
    static string Summarise(string type, string? text, string? replyId)
    {
        if (string.IsNullOrWhiteSpace(text)) return type;
        if (replyId is not null) return $"«{Short(text)}»";
        return $"«{Short(Digits().Replace(text, "•••"))}»";
    }

    static string Short(string s) => s.Length <= 60 ? s : s[..57] + "…";


    [GeneratedRegex(@"\d{5,}")]
    private static partial Regex Digits();
}
