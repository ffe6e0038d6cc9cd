using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>
/// Adds the WhatsApp messages a save causes to that same save (one transaction: the cause and its message commit together
/// or not at all). Registered on the context factory for both providers.
/// </summary>
public sealed class NotificationInterceptor(Notifications notifications) : SaveChangesInterceptor
{
    readonly ConditionalWeakTable<DbContext, IReadOnlyList<Notifications.PendingCustomer>> pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken ct = default)
    {
        if (eventData.Context is TurnoDbContext db) Remember(db, await notifications.AddForAsync(db, ct));
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is TurnoDbContext db) Remember(db, notifications.AddForAsync(db).GetAwaiter().GetResult());
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is TurnoDbContext db && pending.TryGetValue(db, out var list))
        {
            pending.Remove(db);
            // Customers inserted by this save now have ids; the outbox rows point at them too (same connection and transaction).
            foreach (var (message, customer) in list)
            {
                await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.CustomerId, customer.Id), ct);
                SetUnmodified(db, message, customer.Id);
            }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is TurnoDbContext db && pending.TryGetValue(db, out var list))
        {
            pending.Remove(db);
            foreach (var (message, customer) in list)
            {
                db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdate(s => s.SetProperty(m => m.CustomerId, customer.Id));
                SetUnmodified(db, message, customer.Id);
            }
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => pending.Remove(eventData.Context!);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        pending.Remove(eventData.Context!);
        return Task.CompletedTask;
    }

    void Remember(DbContext db, IReadOnlyList<Notifications.PendingCustomer> list)
    {
        if (list.Count > 0) pending.AddOrUpdate(db, list);
    }

    static void SetUnmodified(DbContext db, OutboxMessage message, int customerId)
    {
        var property = db.Entry(message).Property(m => m.CustomerId);
        property.CurrentValue = customerId;
        property.OriginalValue = customerId;
        property.IsModified = false;
    }
}
