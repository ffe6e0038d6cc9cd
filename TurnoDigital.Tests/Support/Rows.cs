using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// Fixtures for history: rows as a past day left them, set by property name. Entities only change through their
/// transitions; a fixture that describes finished history (not the transitions under test) is built with this.
/// </summary>
public static class Rows
{
    /// <summary>A <typeparamref name="T"/> with <paramref name="values"/> (an anonymous object whose names are its properties).</summary>
    public static T Make<T>(object values) where T : class => Set((T)Activator.CreateInstance(typeof(T), nonPublic: true)!, values);

    /// <summary>Overwrites properties (private setters included); a tracked row is saved by the next SaveChanges.</summary>
    public static T Set<T>(T entity, object values) where T : class
    {
        foreach (var p in values.GetType().GetProperties())
            (typeof(T).GetProperty(p.Name) ?? throw new ArgumentException($"{typeof(T).Name} has no property {p.Name}")).SetValue(entity, p.GetValue(values));
        return entity;
    }

    /// <summary>Adds a new row to the context.</summary>
    public static T Row<T>(this DbContext db, object values) where T : class
    {
        var entity = Make<T>(values);
        db.Add(entity);
        return entity;
    }

    public static T SetRow<T>(this DbContext db, T entity, object values) where T : class => Set(entity, values);

    /// <summary>
    /// The KPI seconds the transitions would have stored on a ticket built as a row, still in its first segment
    /// (<see cref="Ticket.WaitSeconds"/>): wait from its due time to its first call, service time of a completed visit.
    /// </summary>
    public static Ticket WithKpiSeconds(Ticket t)
    {
        int? wait = t.FirstCalledAt is { } called ? KpiSeconds.Between(t.DueAt, called) : null;
        int? service = t is { Status: TicketStatus.Completed, ClosedBySystem: false, StartedAt: { } started, ClosedAt: { } closed } ? KpiSeconds.Between(started, closed) : null;
        return Set(t, new { WaitSeconds = wait, VisitWaitSeconds = wait, ServiceSeconds = service });
    }

    /// <summary><see cref="WithKpiSeconds"/> for every ticket the context tracks; call it before saving.</summary>
    public static void FillKpiSeconds(this DbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries<Ticket>()) WithKpiSeconds(entry.Entity);
    }
}
