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
    System.Collections.Concurrent.ConcurrentQueue<string> texts = new();
    public int Count => Volatile.Read(ref count);
    public void Reset() { Interlocked.Exchange(ref count, 0); texts = new(); }

    /// <summary>How often each command (its first 160 characters) ran since the last reset.</summary>
    public Dictionary<string, int> ByText() => texts.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());

    public static string Summary(Dictionary<string, int> byText) => string.Join("\n", byText.OrderByDescending(c => c.Value).Select(c => $"{c.Value}× {c.Key}"));

    void Record(DbCommand command)
    {
        Interlocked.Increment(ref count);
        var text = command.CommandText.ReplaceLineEndings(" ");
        texts.Enqueue(text.Length > 160 ? text[..160] : text);
    }

    /// <summary>Adds the counter to the harness's contexts: pass to <see cref="CoreHarness.CreateAsync"/>'s configure.</summary>
    public void AddTo(IServiceCollection services) => services.ConfigureDbContext<SqliteTurnoDbContext>(o => o.AddInterceptors(this));

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }
}
