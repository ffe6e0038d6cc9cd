using System.Text.Json;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
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
            Data = Json(data),
        });

    /// <summary>Appends an event for an appointment; the channel is where it happened (booked on the web, checked in at the kiosk…).</summary>
    public static void Add(TurnoDbContext db, Appointment a, JourneyEventKind kind, Channel channel, DateTime at, string? actorId = null, object? data = null) =>
        db.JourneyEvents.Add(new JourneyEvent
        {
            BranchId = a.BranchId,
            CustomerId = a.Customer is null ? a.CustomerId : null,
            Customer = a.Customer,
            Appointment = a,
            Kind = kind,
            Channel = channel,
            At = at,
            ActorId = actorId,
            ServiceId = a.ServiceId,
            Data = Json(data),
        });

    static string? Json(object? data) => data is null ? null : JsonSerializer.Serialize(data);
}
