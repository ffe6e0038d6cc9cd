using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>Whom a business-initiated message goes to: a phone, and the customer (possibly not saved yet).</summary>
public sealed record Recipient(string Phone, Customer Customer);

/// <summary>
/// Consent rule (Ley 1581 de 2012): a business-initiated message goes to the phone given for the appointment or ticket it is
/// about (never the customer's latest number: anyone can type a document), and needs the opt-in given with that record, an
/// active consent for its purpose, and no opt-out of that number. Reads what the caller's context holds (consent given in the
/// same save counts) and the database.
/// </summary>
public static class Recipients
{
    /// <summary>
    /// The recipient, or null when there is no contact phone, no customer, no opt-in or active consent for any of
    /// <paramref name="purposes"/>, or the number opted out (neither applies when <paramref name="isReply"/>: the person asked
    /// for it in a conversation from that number).
    /// </summary>
    public static async Task<Recipient?> ResolveAsync(TurnoDbContext db, Customer? customer, int? customerId, PhoneNumber? contactPhone, bool optIn,
        IReadOnlyCollection<string> purposes, bool isReply = false, CancellationToken ct = default)
    {
        if (contactPhone is null) return null;
        if (customer is null && customerId is int id)
            customer = db.ChangeTracker.Tracked<Customer>().Select(e => e.Entity).FirstOrDefault(c => c.Id == id)
                ?? await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null || customer.AnonymisedAt is not null) return null;
        var phone = contactPhone.Value;
        if (!isReply && (!optIn || !await HasConsentAsync(db, customer, purposes, ct))) return null;
        // A reply in a live conversation (the bot lifts an earlier BAJA when the person books again) ignores the old opt-out.
        if (!isReply && await OptedOutAsync(db, Outbox.WaId(phone), ct)) return null;
        return new Recipient(phone, customer);
    }

    public static async Task<bool> HasConsentAsync(TurnoDbContext db, Customer customer, IReadOnlyCollection<string> purposes, CancellationToken ct = default)
    {
        // Tracked records win over the stored ones: a consent given or withdrawn in this very save.
        var tracked = db.ChangeTracker.Tracked<ConsentRecord>().Select(e => e.Entity)
            .Where(c => (customer.Id != 0 && c.CustomerId == customer.Id) || customer.Consents.Contains(c))
            .Concat(customer.Consents).Distinct().ToList();
        if (tracked.Any(c => purposes.Contains(c.Purpose) && c.WithdrawnAt is null)) return true;
        if (customer.Id == 0) return false;
        var trackedIds = tracked.Where(c => c.Id != 0).Select(c => c.Id).ToList();
        return await db.ConsentRecords.AnyAsync(c => c.CustomerId == customer.Id && purposes.Contains(c.Purpose) && c.WithdrawnAt == null
            && !trackedIds.Contains(c.Id), ct);
    }

    public static async Task<bool> OptedOutAsync(TurnoDbContext db, string waId, CancellationToken ct = default)
    {
        var tracked = db.ChangeTracker.Tracked<WhatsAppContact>().Select(e => e.Entity).FirstOrDefault(c => c.WaId == waId);
        if (tracked is not null) return tracked.OptedOutAt is not null;
        return await db.WhatsAppContacts.AnyAsync(c => c.WaId == waId && c.OptedOutAt != null, ct);
    }
}
