using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.MultiNode;

/// <summary>Queue events between nodes through a real redis-server, and what screens get while it is down.</summary>
[Collection(RedisCollection.Name)]
public class RedisLiveEventsTests(RedisServer redis)
{
    static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    sealed class Node : IDisposable
    {
        public readonly LiveChannelStatus Status = new();
        public readonly RedisQueueNotifier Notifier;
        public Node(RedisServer redis, string channel) =>
            Notifier = new(redis.Configuration, channel, Status, TimeProvider.System, NullLogger<RedisQueueNotifier>.Instance);
        public void Dispose() => Notifier.Dispose();
    }

    /// <summary>What one screen of a branch receives, in order.</summary>
    sealed class Screen
    {
        readonly Channel<QueueEvent> received = Channel.CreateUnbounded<QueueEvent>();
        public readonly List<QueueEvent> Seen = [];

        public Screen(IQueueEventSource source, int branchId) =>
            source.Subscribe(branchId, e => { received.Writer.TryWrite(e); return Task.CompletedTask; });

        /// <summary>Reads events until one matches; fails after <see cref="Cap"/>.</summary>
        public async Task<QueueEvent> NextAsync(Func<QueueEvent, bool> match)
        {
            using var limit = new CancellationTokenSource(Cap);
            while (true)
            {
                var e = await received.Reader.ReadAsync(limit.Token);
                Seen.Add(e);
                if (match(e)) return e;
            }
        }

        public int Pending => received.Reader.Count;
    }

    static string NewChannel() => $"test:{Guid.NewGuid():N}";

    [Fact]
    public async Task An_event_raised_on_one_node_reaches_every_nodes_screens_once()
    {
        var channel = NewChannel();
        using var a = new Node(redis, channel);
        using var b = new Node(redis, channel);
        var (onA, onB, otherBranch) = (new Screen(a.Notifier, 7), new Screen(b.Notifier, 7), new Screen(b.Notifier, 8));

        a.Notifier.Publish(new QueueEvent(7, QueueEventKind.TicketCalled, TicketId: 41));
        var got = await onB.NextAsync(e => e.Kind == QueueEventKind.TicketCalled);
        Assert.Equal(new QueueEvent(7, QueueEventKind.TicketCalled, TicketId: 41), got);
        await onA.NextAsync(e => e.TicketId == 41); // its own screens at once, not through Redis

        // B's next event arrives on A after A's first: had A echoed its own through Redis, a second 41 would come first.
        b.Notifier.Publish(new QueueEvent(7, QueueEventKind.TicketIssued, TicketId: 42));
        await onA.NextAsync(e => e.TicketId == 42);
        Assert.Equal([41, 42], onA.Seen.Select(e => e.TicketId));
        await onB.NextAsync(e => e.TicketId == 42);
        Assert.Equal([41, 42], onB.Seen.Select(e => e.TicketId));
        Assert.Equal(0, otherBranch.Pending);
        Assert.False(a.Status.Degraded || b.Status.Degraded);
    }

    [Fact]
    public async Task While_redis_is_down_screens_resync_every_few_seconds_and_live_events_return_with_it()
    {
        var channel = NewChannel();
        using var a = new Node(redis, channel);
        using var b = new Node(redis, channel);
        var onB = new Screen(b.Notifier, 3);
        a.Notifier.Publish(new QueueEvent(3, QueueEventKind.TicketIssued, TicketId: 1));
        await onB.NextAsync(e => e.TicketId == 1);

        await redis.StopAsync();
        try
        {
            // The fallback: repeated resyncs (screens re-read the database), and the status the notice shows.
            await onB.NextAsync(e => e.Kind == QueueEventKind.Resync);
            await onB.NextAsync(e => e.Kind == QueueEventKind.Resync);
            Assert.True(b.Status.Degraded);
            Assert.DoesNotContain(onB.Seen, e => e.Kind != QueueEventKind.Resync && e.TicketId != 1);
        }
        finally { await redis.StartAsync(); }

        // Back: the status clears, and an event raised on A is heard live on B again.
        using (var reconnect = new CancellationTokenSource(Cap))
            while (a.Status.Degraded || b.Status.Degraded || !a.Notifier.Connected || !b.Notifier.Connected)
                await Task.Delay(100, reconnect.Token);
        // A budget of its own: the client's reconnection backs off, and may use most of the first one.
        using var limit = new CancellationTokenSource(Cap);
        for (var id = 100L; ; id++) // the re-subscription may trail the reconnection by a moment: the first events may be missed
        {
            a.Notifier.Publish(new QueueEvent(3, QueueEventKind.TicketCalled, TicketId: id));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await onB.NextAsync(e => e.Kind == QueueEventKind.TicketCalled).WaitAsync(wait.Token);
                break;
            }
            catch (TimeoutException) when (!limit.IsCancellationRequested) { }
            catch (OperationCanceledException) when (!limit.IsCancellationRequested) { }
        }
    }

    [Fact]
    public async Task A_ticket_issued_on_one_app_node_reaches_the_other_nodes_views_at_once()
    {
        using var database = new TempDatabase();
        var settings = new Dictionary<string, string> { ["Redis:Configuration"] = redis.Configuration, ["Redis:Channel"] = NewChannel() };
        using var a = new TurnoWebFactory(database) { Settings = settings };
        Assert.NotNull(a.Services); // migrated and seeded before the second node starts
        using var b = new TurnoWebFactory(database) { Settings = settings, SharedOrganization = false };
        int branchId, serviceId;
        await using (var db = a.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            var caja = await db.Services.AsNoTracking().FirstAsync(s => s.Name == "Caja");
            (branchId, serviceId) = (caja.BranchId, caja.Id);
        }
        var views = b.Services.GetRequiredService<QueueViewCache>();
        Assert.NotNull(await views.GetAsync(branchId)); // B has read (and cached) the branch's views before the ticket
        var received = Channel.CreateUnbounded<QueueEvent>();
        using var subscription = views.Subscribe(branchId, e => { received.Writer.TryWrite(e); return Task.CompletedTask; });

        using var http = a.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(new { branchId, serviceId }) };
        request.Headers.Add("Idempotency-Key", "cross-node-1");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var code = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();

        using var limit = new CancellationTokenSource(Cap);
        while ((await received.Reader.ReadAsync(limit.Token)).Kind != QueueEventKind.TicketIssued) { }
        // The event invalidated B's cached views: the next read has the ticket (well within the views' own 10 s expiry).
        Assert.NotNull((await views.GetAsync(branchId))!.Status(code));
    }
}
