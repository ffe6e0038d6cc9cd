using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Web.Live;

/// <summary>
/// Queue events across nodes: each event goes at once to this node's screens and, through one Redis pub/sub channel, to the
/// other nodes' (a node ignores its own messages). Redis pub/sub keeps nothing for a node that is away, so while this node's
/// connection is down every followed branch gets a <see cref="QueueEventKind.Resync"/> every <see cref="FallbackInterval"/>
/// (screens re-read the database), and one more when it is back, for what was missed meanwhile.
/// </summary>
public sealed class RedisQueueNotifier : IQueueNotifier, IQueueEventSource, IDisposable
{
    public static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(3);
    static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    readonly InProcessQueueNotifier local = new();
    readonly string node = Guid.NewGuid().ToString("N");
    readonly RedisChannel channel;
    readonly IConnectionMultiplexer redis;
    readonly LiveChannelStatus status;
    readonly ILogger log;
    readonly ITimer fallback;
    /// <summary>Set when the connection comes back: the next tick still resyncs, in case an event slipped in before the re-subscription.</summary>
    volatile bool restored;

    public RedisQueueNotifier(string configuration, string channelName, LiveChannelStatus status, TimeProvider clock, ILogger<RedisQueueNotifier> log)
    {
        (this.status, this.log, channel) = (status, log, RedisChannel.Literal(channelName));
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false; // start without Redis and connect when it comes up
        options.ClientName ??= $"turno-{Environment.MachineName}";
        redis = ConnectionMultiplexer.Connect(options);
        redis.ConnectionFailed += (_, e) => Lost(e.FailureType.ToString());
        redis.ConnectionRestored += (_, _) => Back();
        redis.GetSubscriber().Subscribe(channel, (_, message) => Received(message));
        status.Set(!redis.IsConnected);
        if (status.Degraded) log.LogWarning("Redis is not reachable: screens refresh from the database until it is");
        fallback = clock.CreateTimer(_ => Tick(), null, FallbackInterval, FallbackInterval);
    }

    /// <summary>Connected to Redis now.</summary>
    public bool Connected => redis.IsConnected;

    public void Publish(QueueEvent e)
    {
        local.Publish(e);
        if (!redis.IsConnected) return; // the other nodes resync when it comes back
        try { redis.GetSubscriber().Publish(channel, JsonSerializer.Serialize(new Envelope(node, e), Json), CommandFlags.FireAndForget); }
        catch (RedisException ex) { log.LogWarning(ex, "Could not publish a queue event to Redis"); }
    }

    public IDisposable Subscribe(int branchId, Func<QueueEvent, Task> handler) => local.Subscribe(branchId, handler);

    void Received(RedisValue message)
    {
        Envelope? envelope;
        try { envelope = JsonSerializer.Deserialize<Envelope>(message.ToString(), Json); }
        catch (JsonException ex)
        {
            // A node on another version may send a kind this one does not know: re-read everything rather than miss it.
            log.LogWarning(ex, "Unreadable queue event from Redis; resyncing");
            Resync();
            return;
        }
        if (envelope is { Event: { } e } && envelope.Node != node) local.Publish(e);
    }

    void Lost(string why)
    {
        if (status.Degraded) return;
        log.LogWarning("Lost Redis ({Why}): screens refresh from the database every {Seconds} s", why, FallbackInterval.TotalSeconds);
        status.Set(true);
        Resync();
    }

    void Back()
    {
        if (!redis.IsConnected || !status.Degraded) return;
        log.LogInformation("Redis is back: live events between nodes again");
        restored = true;
        status.Set(false);
        Resync();
    }

    void Tick()
    {
        if (!status.Degraded && redis.IsConnected && !restored) return;
        restored = false;
        if (!redis.IsConnected) status.Set(true);
        Resync();
    }

    void Resync()
    {
        foreach (var branchId in local.Branches()) local.Publish(new QueueEvent(branchId, QueueEventKind.Resync));
    }

    public void Dispose()
    {
        fallback.Dispose();
        redis.Dispose();
    }

    sealed record Envelope(string Node, QueueEvent Event);
}
