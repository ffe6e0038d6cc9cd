using System.Collections.Concurrent;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Tests.Support;

public sealed class RecordingNotifier : IQueueNotifier
{
    public ConcurrentQueue<QueueEvent> Events { get; } = new();
    public void Publish(QueueEvent e) => Events.Enqueue(e);
}
