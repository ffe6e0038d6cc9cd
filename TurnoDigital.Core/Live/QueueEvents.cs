namespace TurnoDigital.Core.Live;

public enum QueueEventKind { TicketIssued, TicketCalled, TicketChanged, AgentChanged, DeviceRevoked, AppointmentArrived, AppointmentsChanged, DayClosed, AlertsChanged,
    /// <summary>Not a change: events from other nodes may have been missed (the live channel between nodes is down), so re-read.</summary>
    Resync,
    /// <summary>The organisation's configuration changed (branches, hours, services, counters, intake, settings): drop cached copies. Branch <see cref="QueueEvent.Organization"/>.</summary>
    ConfigurationChanged }

/// <summary>What changed in a branch. Carries no personal data: it fans out to public screens.</summary>
public sealed record QueueEvent(int BranchId, QueueEventKind Kind, long? TicketId = null, int? DeviceId = null)
{
    /// <summary>The "branch" of organisation-wide events: no branch has this id.</summary>
    public const int Organization = 0;

    public static readonly QueueEvent ConfigurationChanged = new(Organization, QueueEventKind.ConfigurationChanged);
}

/// <summary>Raised by Core after a successful save; Web fans it out to open screens of the branch.</summary>
public interface IQueueNotifier
{
    void Publish(QueueEvent e);
}

/// <summary>Subscribes live screens to a branch's events.</summary>
public interface IQueueEventSource
{
    IDisposable Subscribe(int branchId, Func<QueueEvent, Task> handler);
}
