using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TurnoDigital.Core;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Simulation;

/// <summary>
/// Issue 14 §7: simulated days (docs/PERFORMANCE.md) replayed through the real services on a fake clock; the wait
/// estimate given at issue against the real wait, for the live estimator and the naive baseline on the same seeds.
/// </summary>
static class EstimatorBench
{
    public static readonly int[] Seeds = [1, 2, 3, 4, 5, 6];

    sealed class NoNotifier : IQueueNotifier { public void Publish(QueueEvent e) { } }

    /// <summary>3–8 agents, about 50 walk-ins per agent, appointments with 10–25 % no-shows: all from the seed.</summary>
    public static SimulationParameters Day(int seed) => new(seed, new DateOnly(2026, 11, 25), Agents: 3 + seed % 6, WalkIns: 50 * (3 + seed % 6),
        Appointments: 3 * (3 + seed % 6), NoShowRate: 0.10 + 0.05 * (seed % 4));

    /// <summary>Runs <paramref name="seeds"/> (default <see cref="Seeds"/>); with <paramref name="csv"/>, writes every walk-in's figures there.</summary>
    public static async Task RunAsync(IReadOnlyList<int>? seeds = null, string? csv = null)
    {
        Console.WriteLine("\n## Wait estimates against real waits (simulated days)");
        Console.WriteLine("| seed | agents | walk-ins called | transfers | no-show appts | new: median abs err (min) | new: in band | new: near > 15 min early | baseline: median abs err | baseline: in band | baseline: near > 15 min early |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var all = new List<SimulatedTicket>();
        var rows = new List<string> { "seed,service,priority,issued,ahead,estimate,naive,wait" };
        foreach (var seed in seeds is { Count: > 0 } ? seeds : Seeds)
        {
            var p = Day(seed);
            var folder = Directory.CreateTempSubdirectory("turno-sim-").FullName;
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "turno.db")}",
                ["Demo:Seed"] = "true", ["Demo:Password"] = "TurnoDemo2026",
            }).Build();
            var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Error)).AddSingleton<IQueueNotifier, NoNotifier>()
                .AddSingleton<TimeProvider>(clock);
            services.AddTurnoCore(config, folder);
            await using (var provider = services.BuildServiceProvider())
            {
                await provider.InitializeTurnoDatabaseAsync();
                var r = await new SimulationEngine(provider, t => clock.SetUtcNow(new DateTimeOffset(t, TimeSpan.Zero))).RunAsync(p);
                var (n, b) = (r.Accuracy(naive: false), r.Accuracy(naive: true));
                Console.WriteLine($"| {seed} | {p.Agents} | {n.Called} | {r.Transfers} | {r.AppointmentsMissed} of {r.AppointmentsMissed + r.AppointmentsCheckedIn} | " +
                    $"{n.MedianAbsoluteError:0.0} | {n.InBandShare:P0} | {n.EarlyNearShare:P0} | {b.MedianAbsoluteError:0.0} | {b.InBandShare:P0} | {b.EarlyNearShare:P0} |");
                all.AddRange(r.Tickets);
                rows.AddRange(r.Tickets.Select(t => $"{seed},{t.ServiceId},{t.Priority},{t.IssuedAt:HH:mm},{t.Ahead},{t.EstimateMinutes},{t.NaiveEstimateMinutes},{t.WaitMinutes:0.0}"));
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
        var total = new SimulationResult(Day(0), all, 0, 0, 0, 0, 0, 0);
        var (tn, tb) = (total.Accuracy(naive: false), total.Accuracy(naive: true));
        Console.WriteLine($"| all | | {tn.Called} | | | **{tn.MedianAbsoluteError:0.0}** | **{tn.InBandShare:P0}** | **{tn.EarlyNearShare:P0}** | {tb.MedianAbsoluteError:0.0} | {tb.InBandShare:P0} | {tb.EarlyNearShare:P0} |");
        if (csv is not null) await File.WriteAllLinesAsync(csv, rows);
    }
}
