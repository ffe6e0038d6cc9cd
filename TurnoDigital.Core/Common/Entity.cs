using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Core.Common;

/// <summary>
/// An entity that records what happens to it: its transitions append journey events and live events, which
/// <see cref="JourneyInterceptor"/> writes with the save that persists the transition and publishes after commit.
/// </summary>
public abstract class Entity
{
    List<JourneyEvent>? journey;
    List<QueueEvent>? live;

    /// <summary>A step of someone's visit: becomes a journey row (and the live event, outbox messages and audit it implies).</summary>
    protected void Record(JourneyEvent e) => (journey ??= []).Add(e);

    /// <summary>A change screens must hear about that is not a step of a visit (a counter session, a device).</summary>
    protected void Announce(QueueEvent e) => (live ??= []).Add(e);

    internal bool HasEvents => journey is { Count: > 0 } || live is { Count: > 0 };

    /// <summary>Hands the pending events to the save and forgets them, so a second save does not write them again.</summary>
    internal (IReadOnlyList<JourneyEvent> Journey, IReadOnlyList<QueueEvent> Live) TakeEvents()
    {
        var taken = ((IReadOnlyList<JourneyEvent>?)journey ?? [], (IReadOnlyList<QueueEvent>?)live ?? []);
        journey = null;
        live = null;
        return taken;
    }
}
