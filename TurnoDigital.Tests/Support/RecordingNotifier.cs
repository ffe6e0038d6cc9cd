using System.Collections.Concurrent;
using TurnoDigital.Core.Live;
using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.Support;

/// <summary>Records what Core publishes and fans it out like the app does, so live components can be tested.</summary>
public sealed class RecordingNotifier : IQueueNotifier, IQueueEventSource
{
    readonly InProcessQueueNotifier live = new();
    public ConcurrentQueue<QueueEvent> Events { get; } = new();

    public void Publish(QueueEvent e)
    {
        Events.Enqueue(e);
        live.Publish(e);
    }

    public IDisposable Subscribe(int branchId, Func<QueueEvent, Task> handler) => live.Subscribe(branchId, handler);
}
