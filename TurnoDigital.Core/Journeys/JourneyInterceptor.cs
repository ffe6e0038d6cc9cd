using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Journeys;

/// <summary>
/// The one place where what entities record becomes rows and signals. While a save runs it writes the journey events the
/// entities' transitions recorded, their audit rows and the WhatsApp messages they cause (<see cref="Notifications"/>), all in
/// that save's transaction; once the transaction commits (or right after the save when there is none) it publishes the live
/// events. A save that fails or a transaction that rolls back publishes nothing. A committed change to the organisation's
/// configuration invalidates <see cref="OrganizationCache"/> here and on the other nodes (<see cref="QueueEventKind.ConfigurationChanged"/>).
/// </summary>
public sealed class JourneyInterceptor(Notifications notifications, IQueueNotifier notifier, OrganizationCache configuration,
    ILogger<JourneyInterceptor> logger)
    : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    sealed class State
    {
        public List<JourneyEvent> Saving = [];
        public List<QueueEvent> Announced = [];
        public IReadOnlyList<Notifications.PendingCustomer> Customers = [];
        public List<QueueEvent> AfterCommit = [];
    }

    readonly ConditionalWeakTable<DbContext, State> states = new();

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken ct = default)
    {
        if (eventData.Context is TurnoDbContext db && Collect(db) is { } state)
            state.Customers = await notifications.AddForAsync(db, ct);
        return result;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is TurnoDbContext db && Collect(db) is { } state)
            state.Customers = notifications.AddForAsync(db).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is TurnoDbContext db && states.TryGetValue(db, out var state))
        {
            // Customers inserted by this save now have ids; the outbox rows point at them too (same connection and transaction).
            foreach (var (message, customer) in state.Customers)
            {
                await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.CustomerId, customer.Id), ct);
                SetUnmodified(db, message, customer.Id);
            }
            Saved(db, state);
        }
        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is TurnoDbContext db && states.TryGetValue(db, out var state))
        {
            foreach (var (message, customer) in state.Customers)
            {
                db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdate(s => s.SetProperty(m => m.CustomerId, customer.Id));
                SetUnmodified(db, message, customer.Id);
            }
            Saved(db, state);
        }
        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => PublishCommitted(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        PublishCommitted(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => DropUncommitted(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        DropUncommitted(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => DropUncommitted(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken ct = default)
    {
        DropUncommitted(eventData.Context);
        return Task.CompletedTask;
    }

    // A transaction disposed without commit (an exception on the way) reports nothing: a new one starts clean.
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        DropUncommitted(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken ct = default)
    {
        DropUncommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>Takes the events the tracked entities recorded and adds their rows (journey, audit) to this save.</summary>
    State? Collect(TurnoDbContext db)
    {
        var configurationChanged = OrganizationCache.Touches(db.ChangeTracker);
        var recording = db.ChangeTracker.Tracked<Entity>().Select(e => e.Entity).Where(e => e.HasEvents).ToList();
        if (recording.Count == 0 && !configurationChanged) return null;
        var state = states.GetOrCreateValue(db);
        if (configurationChanged) state.Announced.Add(QueueEvent.ConfigurationChanged);
        foreach (var entity in recording)
        {
            var (journey, live) = entity.TakeEvents();
            state.Announced.AddRange(live);
            foreach (var e in journey)
            {
                WhoseStep(e);
                db.JourneyEvents.Add(e);
                state.Saving.Add(e);
                if (e.Audit is { } audit)
                    AuditLog.Add(db, e.At, e.ActorId, null, audit.Action, e.Ticket is { } t ? nameof(Ticket) : nameof(Appointment),
                        e.Ticket?.Id ?? e.Appointment?.Id, e.BranchId, audit.Details);
            }
        }
        return state;
    }

    /// <summary>The person the step belongs to, as known when it is saved (a ticket gets its customer after being numbered).</summary>
    static void WhoseStep(JourneyEvent e)
    {
        if (e.Customer is not null || e.CustomerId is not null) return;
        var customer = e.Ticket?.Customer ?? e.Appointment?.Customer;
        if (customer is not null) e.Customer = customer;
        else e.CustomerId = e.Ticket?.CustomerId ?? e.Appointment?.CustomerId;
    }

    void Saved(TurnoDbContext db, State state)
    {
        var live = state.Saving.Select(e => LiveEvent(db, e)).OfType<QueueEvent>().Concat(state.Announced).Distinct().ToList();
        state.Saving = [];
        state.Announced = [];
        state.Customers = [];
        // An arrival's ticket is announced as the arrival (the desk tells the agent), not as a second "issued".
        var arrived = live.Where(e => e.Kind == QueueEventKind.AppointmentArrived).Select(e => e.TicketId).ToHashSet();
        live.RemoveAll(e => e.Kind == QueueEventKind.TicketIssued && arrived.Contains(e.TicketId));
        if (db.Database.CurrentTransaction is null) Publish(live);
        else state.AfterCommit.AddRange(live);
    }

    static QueueEvent? LiveEvent(TurnoDbContext db, JourneyEvent e) => e.Kind switch
    {
        JourneyEventKind.TicketIssued or JourneyEventKind.RemoteTicketIssued => new(e.BranchId, QueueEventKind.TicketIssued, e.Ticket?.Id),
        JourneyEventKind.TicketCalled or JourneyEventKind.TicketRecalled => new(e.BranchId, QueueEventKind.TicketCalled, e.Ticket?.Id),
        JourneyEventKind.AppointmentCheckedIn => new(e.BranchId, QueueEventKind.AppointmentArrived, db.ChangeTracker.Tracked<Ticket>()
            .Select(t => t.Entity).FirstOrDefault(t => t.Appointment == e.Appointment)?.Id ?? e.Appointment?.TicketId),
        JourneyEventKind.AppointmentBooked or JourneyEventKind.AppointmentRescheduled or JourneyEventKind.AppointmentCancelled
            or JourneyEventKind.AppointmentNoShow or JourneyEventKind.AppointmentConfirmed => new(e.BranchId, QueueEventKind.AppointmentsChanged),
        _ when e.Ticket is not null => new(e.BranchId, QueueEventKind.TicketChanged, e.Ticket.Id),
        _ => null,
    };

    void PublishCommitted(DbContext? db)
    {
        if (db is null || !states.TryGetValue(db, out var state) || state.AfterCommit.Count == 0) return;
        var live = state.AfterCommit.Distinct().ToList();
        state.AfterCommit = [];
        Publish(live);
    }

    void Publish(IEnumerable<QueueEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Kind == QueueEventKind.ConfigurationChanged) configuration.Invalidate(); // this node at once; the notifier tells the others
            // The change is committed: a failing screen must not turn it into an error for the person who made it.
            try { notifier.Publish(e); }
            catch (Exception ex) { logger.LogError(ex, "Publishing {Kind} for branch {BranchId} failed", e.Kind, e.BranchId); }
        }
    }

    void Forget(DbContext? db)
    {
        if (db is null || !states.TryGetValue(db, out var state)) return;
        state.Saving = [];
        state.Announced = [];
        state.Customers = [];
    }

    void DropUncommitted(DbContext? db)
    {
        if (db is not null && states.TryGetValue(db, out var state)) state.AfterCommit = [];
    }

    static void SetUnmodified(DbContext db, OutboxMessage message, int customerId)
    {
        var property = db.Entry(message).Property(m => m.CustomerId);
        property.CurrentValue = customerId;
        property.OriginalValue = customerId;
        property.IsModified = false;
    }
}
