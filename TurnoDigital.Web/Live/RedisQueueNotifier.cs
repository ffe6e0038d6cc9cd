using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Web.Live;

/// <summary>
/// Queue events across nodes: each event goes at once to this node's screens and, through one Redis pub/sub channel, to the
/// other nodes' (a node ignores its own messages). Redis pub/sub keeps nothing for a node that is away, so while this node's
/// connection is down every followed branch gets a <see cref="QueueEventKind.Resync"/> every <see cref="FallbackInterval"/>
/// (screens re-read the database), and one more when it is back, for what was missed meanwhile. "Back" means this node
/// heard its own probe through the channel: a restored connection may not be re-subscribed yet, and an event sent in that
/// gap would be lost with no refresh left to catch it.
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

    public RedisQueueNotifier(string configuration, string channelName, LiveChannelStatus status, TimeProvider clock, ILogger<RedisQueueNotifier> log)
    {
        (this.status, this.log, channel) = (status, log, RedisChannel.Literal(channelName));
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false; // start without Redis and connect when it comes up
        options.ClientName ??= $"turno-{Environment.MachineName}";
        redis = ConnectionMultiplexer.Connect(options);
        redis.ConnectionFailed += (_, e) => Lost(e.FailureType.ToString());
        redis.ConnectionRestored += (_, _) => Probe();
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

    /// <summary>A message with no event: a node checking that its own subscription hears the channel again.</summary>
    void Probe()
    {
        try { redis.GetSubscriber().Publish(channel, JsonSerializer.Serialize(new Envelope(node, null), Json), CommandFlags.FireAndForget); }
        catch (RedisException ex) { log.LogDebug(ex, "Could not publish a Redis probe"); }
    }

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
        else if (envelope is { Event: null } && envelope.Node == node) Back();
    }

    void Lost(string why)
    {
        if (status.Degraded) return;
        log.LogWarning("Lost Redis ({Why}): screens refresh from the database every {Seconds} s", why, FallbackInterval.TotalSeconds);
        status.Set(true);
        Resync();
    }

    /// <summary>Our own probe came back: the subscription hears the channel; one resync covers what came before it.</summary>
    void Back()
    {
        if (!status.Degraded) return;
        log.LogInformation("Redis is back: live events between nodes again");
        status.Set(false);
        Resync();
    }

    void Tick()
    {
        if (!status.Degraded && redis.IsConnected) return;
        if (!redis.IsConnected) status.Set(true);
        else Probe(); // connected again: live once the probe is heard
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

    sealed record Envelope(string Node, QueueEvent? Event);
}
