using System.Text.Json;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Journeys;

public static class JourneyLog
{
    /// <summary>Appends an event for a ticket to the context; it is saved with the change that caused it.</summary>
    public static void Add(TurnoDbContext db, Ticket t, JourneyEventKind kind, DateTime at, string? actorId = null, object? data = null) =>
        db.JourneyEvents.Add(new JourneyEvent
        {
            BranchId = t.BranchId,
            CustomerId = t.CustomerId,
            Customer = t.Customer,
            Ticket = t,
            Kind = kind,
            Channel = t.Channel,
            At = at,
            ActorId = actorId,
            CounterId = t.CounterId,
            ServiceId = t.ServiceId,
            Data = data is null ? null : JsonSerializer.Serialize(data),
        });
}
