using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.MultiNode;

/// <summary>Two app nodes on one database and one redis-server: an admin change on one drops the other's configuration cache.</summary>
[Collection(RedisCollection.Name)]
public class ConfigurationAcrossNodesTests(RedisServer redis)
{
    [Fact]
    public async Task A_service_taken_off_walk_ins_on_one_node_is_refused_by_the_other_node_once_it_hears_of_it()
    {
        using var database = new TempDatabase();
        var settings = new Dictionary<string, string> { ["Redis:Configuration"] = redis.Configuration, ["Redis:Channel"] = $"test:{Guid.NewGuid():N}" };
        using var a = new TurnoWebFactory(database) { Settings = settings };
        Assert.NotNull(a.Services); // migrated and seeded before the second node starts
        using var b = new TurnoWebFactory(database) { Settings = settings, SharedOrganization = false };
        int branchId, serviceId;
        await using (var db = a.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            var caja = await db.Services.AsNoTracking().FirstAsync(s => s.Name == "Caja");
            (branchId, serviceId) = (caja.BranchId, caja.Id);
        }
        var queueB = b.Services.GetRequiredService<QueueService>();
        IssueTicketRequest Request() => new(branchId, serviceId, TurnoDigital.Core.Common.Channel.Kiosk, Guid.NewGuid());
        await queueB.IssueAsync(Request()); // B has read (and cached) the configuration
        var cached = await b.Services.GetRequiredService<OrganizationCache>().GetAsync();
        var heard = Channel.CreateUnbounded<QueueEvent>();
        using var subscription = b.Services.GetRequiredService<IQueueEventSource>()
            .Subscribe(QueueEvent.Organization, e => { heard.Writer.TryWrite(e); return Task.CompletedTask; });

        await using (var db = a.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            (await db.Services.SingleAsync(s => s.Id == serviceId)).Mode = ServiceMode.Schedulable;
            await db.SaveChangesAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await heard.Reader.ReadAsync(limit.Token)).Kind != QueueEventKind.ConfigurationChanged) { }
        // The cache subscribed before this test did, so it has already let go of what it held.
        Assert.NotSame(cached, await b.Services.GetRequiredService<OrganizationCache>().GetAsync());
        var refused = await Assert.ThrowsAsync<TurnoDigital.Core.Common.DomainException>(() => queueB.IssueAsync(Request()));
        Assert.Equal("Service.NoWalkIns", refused.Code);
    }
}
