using TurnoDigital.Core.Live;

namespace TurnoDigital.Web.Live;

/// <summary>In-process notifier: one node, and each node's own fan-out under <see cref="RedisQueueNotifier"/>.</summary>
public sealed class InProcessQueueNotifier : IQueueNotifier, IQueueEventSource
{
    readonly Lock gate = new(), order = new();
    readonly Dictionary<int, List<Func<QueueEvent, Task>>> handlers = [];

    public void Publish(QueueEvent e)
    {
        Func<QueueEvent, Task>[] targets;
        lock (gate) targets = handlers.TryGetValue(e.BranchId, out var list) ? [.. list] : [];
        // Handlers are started under one lock, so every screen sees simultaneous events in the same order
        // (the board announces five calls in the order they were published). Handlers return at their first await.
        lock (order)
            foreach (var handler in targets)
                _ = Invoke(handler, e);
    }

    static async Task Invoke(Func<QueueEvent, Task> handler, QueueEvent e)
    {
        try { await handler(e); }
        catch { /* a closed circuit must not break the others */ }
    }

    /// <summary>The branches some screen follows now.</summary>
    public int[] Branches()
    {
        lock (gate) return [.. handlers.Where(h => h.Value.Count > 0).Select(h => h.Key)];
    }

    public IDisposable Subscribe(int branchId, Func<QueueEvent, Task> handler)
    {
        lock (gate)
        {
            if (!handlers.TryGetValue(branchId, out var list)) handlers[branchId] = list = [];
            list.Add(handler);
        }
        return new Subscription(() => { lock (gate) handlers[branchId].Remove(handler); });
    }

    sealed class Subscription(Action dispose) : IDisposable
    {
        int disposed;
        public void Dispose() { if (Interlocked.Exchange(ref disposed, 1) == 0) dispose(); }
    }
}
