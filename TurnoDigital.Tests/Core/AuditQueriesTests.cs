using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Audit;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

public class AuditQueriesTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    AuditQueries Audit => h.Services.GetRequiredService<AuditQueries>();
    static readonly DateTime T0 = new(2030, 1, 10, 12, 0, 0, DateTimeKind.Utc); // after anything the seed records

    [Fact]
    public async Task Filters_and_pages_newest_first()
    {
        await using (var db = h.Db())
        {
            var admin = db.Users.Single(u => u.Email == "admin@demo.turno");
            for (var i = 0; i < 30; i++)
                AuditLog.Add(db, T0.AddHours(i), i % 3 == 0 ? admin.Id : "agent-x", null, i % 2 == 0 ? "test.even" : "test.odd", "Thing", i, 1, new { note = "<b>x</b>" });
            await db.SaveChangesAsync();
        }
        var all = new AuditFilter(FromUtc: T0);

        var first = await Audit.PageAsync(all, 0, 10);
        Assert.Equal(30, first.Total);
        Assert.Equal(Enumerable.Range(20, 10).Reverse().Select(i => i.ToString()), first.Items.Select(r => r.EntityId));
        var last = await Audit.PageAsync(all, 2, 10);
        Assert.Equal("0", last.Items[^1].EntityId);

        Assert.Equal(15, (await Audit.PageAsync(all with { Action = "test.odd" }, 0, 100)).Total);
        Assert.Equal("7", Assert.Single((await Audit.PageAsync(all with { EntityId = "7" }, 0, 100)).Items).EntityId);
        var window = await Audit.PageAsync(new AuditFilter(T0.AddHours(5), T0.AddHours(8)), 0, 100);
        Assert.Equal(["7", "6", "5"], window.Items.Select(r => r.EntityId));

        // The admin is found by e-mail and shown by name; others by id.
        var byAdmin = await Audit.PageAsync(all with { Actor = "admin@demo" }, 0, 100);
        Assert.Equal(10, byAdmin.Total);
        Assert.All(byAdmin.Items, r => Assert.Contains("admin@demo.turno", r.ActorName));
        Assert.Equal(20, (await Audit.PageAsync(all with { Actor = "agent-x" }, 0, 100)).Total);
        Assert.Contains("test.odd", await Audit.ActionsAsync());
    }
}
