using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Customers;

public enum ContactKind { Phone, Document }

/// <summary>
/// A phone or document number a customer has had, from when it was first seen. A number that is later replaced stays
/// here, so an erasure or export request (Ley 1581 de 2012) still finds everything sent to or filed under it.
/// </summary>
public class CustomerContact
{
    public const int ValueMax = 24;

    public long Id { get; set; }
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public ContactKind Kind { get; set; }
    /// <summary>E.164 for a phone; the normalised number for a document (any type).</summary>
    public string Value { get; set; } = "";
    public DateTime FirstSeenAt { get; set; }
}

/// <summary>
/// Writes the contact history in the save that sets a customer's phone or document, whatever path set it (booking, kiosk,
/// desk, API, bot): the history cannot be forgotten by a new caller.
/// </summary>
public sealed class ContactHistoryInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken ct = default)
    {
        if (eventData.Context is TurnoDbContext db) await RecordAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is TurnoDbContext db) RecordAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    async Task RecordAsync(TurnoDbContext db, CancellationToken ct)
    {
        // The save detected its changes just before (TurnoDbContext), and this interceptor runs first.
        var changed = db.ChangeTracker.Tracked<Customer>().Where(e => e.Entity.AnonymisedAt is null && (e.State is EntityState.Added or EntityState.Modified
            || e.Reference(c => c.Document).TargetEntry?.State is EntityState.Added or EntityState.Modified)).ToList();
        if (changed.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var adding = db.ChangeTracker.Tracked<CustomerContact>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        foreach (var entry in changed)
        {
            var customer = entry.Entity;
            foreach (var (kind, value) in Values(customer))
            {
                if (adding.Any(a => (a.Customer == customer || (customer.Id > 0 && a.CustomerId == customer.Id)) && a.Kind == kind && a.Value == value)) continue;
                if (entry.State != EntityState.Added
                    && await db.CustomerContacts.AnyAsync(x => x.CustomerId == customer.Id && x.Kind == kind && x.Value == value, ct)) continue;
                var contact = new CustomerContact { Customer = customer, Kind = kind, Value = value, FirstSeenAt = now };
                db.CustomerContacts.Add(contact);
                adding.Add(contact);
            }
        }
    }

    static IEnumerable<(ContactKind, string)> Values(Customer c)
    {
        if (c.Phone is not null) yield return (ContactKind.Phone, c.Phone.Value);
        if (c.Document is not null) yield return (ContactKind.Document, c.Document.Number);
    }
}
