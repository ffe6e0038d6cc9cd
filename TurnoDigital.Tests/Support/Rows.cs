using Microsoft.EntityFrameworkCore;

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
}
