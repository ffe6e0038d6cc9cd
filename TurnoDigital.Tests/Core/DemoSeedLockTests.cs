using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Demo;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 18: two nodes starting together on one database seed the demo and its history once (<see cref="TurnoDigital.Core.Persistence.SeedLock"/>).</summary>
public class DemoSeedLockTests
{
    [Fact]
    public async Task Two_seeders_started_together_on_one_SQLite_file_seed_the_history_once()
    {
        await using var first = await CoreHarness.CreateAsync();
        string connection;
        await using (var db = first.Db()) connection = db.Database.GetConnectionString()!;
        await using var second = await CoreHarness.CreateAsync(new Dictionary<string, string?> { ["Database:ConnectionString"] = connection });
        var options = TestOrganization.Credentials;
        (options.ApiKey, options.History, options.HistoryDays) = (null, true, 1);

        // Both clocks stand at the same moment and the seed is fixed: two unguarded runs would open the very same desk sessions twice.
        await Task.WhenAll(new[] { first, second }.Select(h => Task.Run(async () =>
        {
            await using var scope = h.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(options);
        })));

        await using var check = first.Db();
        var sessions = await check.CounterSessions.AsNoTracking().Select(s => new { s.AgentId, s.StartedAt }).ToListAsync();
        Assert.NotEmpty(sessions);
        Assert.Equal(sessions.Count, sessions.Distinct().Count());
        Assert.Equal(1, await check.Branches.CountAsync(b => b.Name == DemoSeeder.BranchName));
    }
}
