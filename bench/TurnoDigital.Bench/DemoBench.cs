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
            $"{await db.JourneyEvents.CountAsync():N0} journey events, {await db.Outbox.CountAsync():N0} messages in {seconds:F1} s (migration and demo seed included)");
        await sp.DisposeAsync();
    }
}
