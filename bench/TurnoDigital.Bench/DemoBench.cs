using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;

/// <summary>Issue 18: the demo's first start with Demo:History (the days given, 30 by default): seconds, tickets, events, messages.</summary>
static class DemoBench
{
    public static async Task RunAsync(int days)
    {
        var sw = Stopwatch.StartNew();
        var (sp, _) = await Bench.CoreAsync(new() { ["Demo:History"] = "true", ["Demo:HistoryDays"] = days.ToString() });
        var seconds = sw.Elapsed.TotalSeconds;
        await using var db = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        Console.WriteLine($"demo history: {days} days, {await db.Tickets.CountAsync():N0} tickets, {await db.Appointments.CountAsync():N0} appointments, " +
            $"{await db.JourneyEvents.CountAsync():N0} journey events, {await db.Outbox.CountAsync():N0} messages " +
            $"({await db.Outbox.CountAsync(m => m.Status == TurnoDigital.Core.WhatsApp.OutboxStatus.Failed):N0} failed) in {seconds:F1} s (migration and demo seed included)");
        var process = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine($"CPU {process.UserProcessorTime.TotalSeconds:F1} s user + {process.PrivilegedProcessorTime.TotalSeconds:F1} s system; " +
            $"GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen 0/1/2), GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F1} s, " +
            $"allocated {GC.GetTotalAllocatedBytes() / (1 << 20):N0} MiB; load average {File.ReadAllText("/proc/loadavg")[..14]}");
        await sp.DisposeAsync();
    }
}
