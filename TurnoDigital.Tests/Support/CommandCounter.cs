using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Tests.Support;

/// <summary>Counts the SQL commands the app's contexts run (readers, scalars and writes alike).</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    int count;
    public int Count => Volatile.Read(ref count);
    public void Reset() => Interlocked.Exchange(ref count, 0);

    /// <summary>Adds the counter to the harness's contexts: pass to <see cref="CoreHarness.CreateAsync"/>'s configure.</summary>
    public void AddTo(IServiceCollection services) => services.ConfigureDbContext<SqliteTurnoDbContext>(o => o.AddInterceptors(this));

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref count);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken ct = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken ct = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }
}
