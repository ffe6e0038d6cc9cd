using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// A compiled query (<see cref="EF.CompileAsyncQuery"/>) per model: EF refuses to run one against another model than the
/// first it ran on, and one process may hold several (each provider's context has its own; the tests run SQLite and PostgreSQL).
/// </summary>
public sealed class PerModel<T>(Func<T> compile) where T : class
{
    readonly ConditionalWeakTable<IModel, T> compiled = new();

    public T For(DbContext db) => compiled.GetValue(db.Model, _ => compile());
}
