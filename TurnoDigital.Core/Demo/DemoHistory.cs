using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Simulation;

namespace TurnoDigital.Core.Demo;

/// <summary>
/// Demo:History: the demo branch's last <see cref="Days"/> days plus today so far, played by <see cref="SimulationEngine"/> through
/// the real services in a container of their own on the same database (its clock is the simulation's; no jobs, no dispatcher,
/// no live events). Once: a branch with tickets before today already has its past, so a restart adds nothing.
/// </summary>
public static class DemoHistory
{
    public const int Days = 30;

    /// <summary>About 250 visitors on an ordinary weekday with six agents (waits mostly within the services' targets); the seed fixes the rest.</summary>
    public static SimulationParameters Parameters(DateOnly first) => new(2026, first, Agents: 6, WalkIns: 250, Appointments: 18, StaleSessions: 0,
        NoShowRate: 0.25, RemindedNoShowRate: 0.08);

    /// <returns>False when the branch already has history.</returns>
    public static async Task<bool> SeedAsync(IServiceProvider root, TurnoDbContext db, Branch branch, int days = Days, CancellationToken ct = default)
    {
        var now = root.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var today = BranchTime.LocalDay(now, branch.Zone);
        if (await db.Tickets.AnyAsync(t => t.BranchId == branch.Id && t.ServiceDay < today, ct)) return false;

        var clock = new SimulationClock(now.AddDays(-days - 30));
        await using var provider = SimulationContainer.On(root, db, clock);
        var log = root.GetService<ILoggerFactory>()?.CreateLogger(typeof(DemoHistory));
        log?.LogWarning("Demo history: playing the last {Days} days of {Branch} through the services once (Demo:History); the app answers when it is done.", days, branch.Name);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await new SimulationEngine(provider, clock.Set).RunHistoryAsync(Parameters(today.AddDays(-Math.Clamp(days, 0, 366))), now, ct);
        log?.LogInformation("Demo history: {Days} days, {Visits} visits, {Booked} appointments, {Messages} WhatsApp messages in {Seconds:0.0} s.",
            result.History!.Days, result.History.WalkIns, result.History.Booked, result.History.Messages, watch.Elapsed.TotalSeconds);
        return true;
    }
}
