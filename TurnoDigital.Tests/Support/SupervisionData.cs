using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// A small fixed day at the demo branch (Wed 2026-11-25, now 10:00 Bogotá) whose KPIs the tests state by hand.
/// Kiosk (walk-ins): Caja waits 2, 4, 6, 8 (no-show), 20 min; Información five waits of 1 min; one still waiting in Caja
/// since 9:45; one remote ticket not arrived (excluded). WhatsApp appointments in Asesoría: waits 3 and 0.5 min.
/// </summary>
public static class SupervisionData
{
    public static readonly DateOnly Day = new(2026, 11, 25);
    static readonly TimeZoneInfo Bogota = BranchTime.Zone("America/Bogota");

    /// <summary>Local time of the test day (Bogotá) as UTC.</summary>
    public static DateTime At(int hour, double minute = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(Day.ToDateTime(new TimeOnly(hour, 0)), Bogota).AddMinutes(minute);

    public sealed record Seeded(int BranchId, int CajaId, int InfoId, int AsesoriaId, string Agent1, string Agent2, long ServingTicketId, int CustomerId);

    public static async Task<Seeded> SeedAsync(CoreHarness h)
    {
        var caja = await h.ServiceAsync("Caja");
        var info = await h.ServiceAsync("Información");
        var asesoria = await h.ServiceAsync("Asesoría de créditos");
        var branch = caja.BranchId;
        await using var db = h.Db();
        var agent1 = (await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno")).Id;
        var agent2 = (await db.Users.SingleAsync(u => u.Email == "agente2@demo.turno")).Id;
        var v1 = (await h.CounterAsync("Ventanilla 1")).Id;
        var seq = 0;

        Ticket T(int serviceId, Channel channel, DateTime issued, double? waitMin, TicketStatus status, double? serviceMin = null, int? rating = null, DateTime? due = null)
        {
            DateTime? called = waitMin is { } w ? (due ?? issued).AddMinutes(w) : null;
            DateTime? started = serviceMin is null ? null : called!.Value.AddMinutes(0.5);
            DateTime? closed = serviceMin is { } s ? started!.Value.AddMinutes(s) : status == TicketStatus.NoShow ? called!.Value.AddMinutes(3) : null;
            ++seq;
            return db.Row<Ticket>(new
            {
                BranchId = branch, ServiceId = serviceId, ServiceDay = Day, Sequence = seq, Number = Ticket.FormatNumber("T", seq), Code = $"sup{seq:000}",
                Channel = channel, IssuedAt = issued, DueAt = due ?? issued, Status = status, Rating = rating,
                FirstCalledAt = called, CalledAt = called, CallCount = called is null ? 0 : 1,
                CounterId = called is null ? null : (int?)v1, AgentId = called is null ? null : agent1, StartedAt = started, ClosedAt = closed,
            });
        }

        T(caja.Id, Channel.Kiosk, At(8, 0), 2, TicketStatus.Completed, 4, 5);
        T(caja.Id, Channel.Kiosk, At(8, 1), 4, TicketStatus.Completed, 6, 3);
        T(caja.Id, Channel.Kiosk, At(8, 2), 6, TicketStatus.Completed, 5);
        T(caja.Id, Channel.Kiosk, At(8, 3), 8, TicketStatus.NoShow);
        T(caja.Id, Channel.Kiosk, At(8, 4), 20, TicketStatus.Completed, 3, 4);
        T(caja.Id, Channel.Kiosk, At(9, 45), null, TicketStatus.Waiting);
        for (var i = 0; i < 5; i++) T(info.Id, Channel.Kiosk, At(9, i), 1, TicketStatus.Completed, 2);
        T(caja.Id, Channel.WhatsApp, At(9, 30), null, TicketStatus.Remote);

        var customer = new Customer { Document = DocumentId.Create(DocumentType.CC, "1012345678"), FullName = "Marta Lucía Prueba", Phone = PhoneNumber.Parse("+573001112233"), CreatedAt = At(6) };
        db.Customers.Add(customer);
        Appointment A(Channel channel, DateTime start, AppointmentStatus status, DateTime created, DateTime? checkedIn = null) =>
            db.Row<Appointment>(new
            {
                Code = $"SUP{db.ChangeTracker.Entries<Appointment>().Count():000}", BranchId = branch, ServiceId = asesoria.Id, Customer = customer,
                Start = start, End = start.AddMinutes(30), Status = status, Channel = channel, CreatedAt = created, CheckedInAt = checkedIn,
                CancelledAt = status == AppointmentStatus.Cancelled ? created.AddMinutes(5) : (DateTime?)null,
            });

        var a1 = A(Channel.WhatsApp, At(9), AppointmentStatus.CheckedIn, At(9).AddDays(-1), At(8, 50));
        var a2 = A(Channel.WhatsApp, At(9, 30), AppointmentStatus.CheckedIn, At(7), At(9, 40));
        A(Channel.WhatsApp, At(8), AppointmentStatus.NoShow, At(8).AddDays(-1));
        A(Channel.WhatsApp, At(15), AppointmentStatus.Booked, At(8));
        A(Channel.WhatsApp, At(9), AppointmentStatus.Cancelled, At(6));
        A(Channel.Web, At(8, 30), AppointmentStatus.NoShow, At(8).AddDays(-2));

        var w1 = T(asesoria.Id, Channel.WhatsApp, At(8, 50), 3, TicketStatus.Completed, 10, 2, due: At(9));
        var w2 = T(asesoria.Id, Channel.WhatsApp, At(9, 40), 0.5, TicketStatus.Serving, due: At(9, 40));
        db.SetRow(w2, new { StartedAt = (DateTime?)At(9, 41), Customer = customer, Appointment = a2 });
        db.SetRow(w1, new { Customer = customer, Appointment = a1 });
        db.FillKpiSeconds();
        await db.SaveChangesAsync();
        db.SetRow(a1, new { TicketId = (long?)w1.Id });
        db.SetRow(a2, new { TicketId = (long?)w2.Id });

        // Journey of the WhatsApp customer (deliberately added out of order).
        void Step(JourneyEventKind kind, Channel channel, DateTime at, Ticket? t = null, Appointment? a = null, string? actor = null) =>
            db.JourneyEvents.Add(new JourneyEvent
            {
                BranchId = branch, CustomerId = customer.Id, TicketId = t?.Id, AppointmentId = a?.Id, Kind = kind, Channel = channel, At = at,
                ActorId = actor, CounterId = t?.CounterId, ServiceId = t?.ServiceId ?? a?.ServiceId,
            });
        Step(JourneyEventKind.ServiceRated, w1.Channel, At(9, 20), t: w1);
        Step(JourneyEventKind.AppointmentBooked, Channel.WhatsApp, At(9).AddDays(-1), a: a1);
        Step(JourneyEventKind.AppointmentCheckedIn, Channel.Kiosk, At(8, 50), a: a1);
        Step(JourneyEventKind.TicketCalled, w1.Channel, At(9, 3), t: w1, actor: agent1);
        await db.SaveChangesAsync();

        // Agent 1 serves at Ventanilla 1; agent 2 is on a break at Ventanilla 2.
        await h.Sessions.OpenAsync(v1, agent1);
        var v2 = (await h.CounterAsync("Ventanilla 2")).Id;
        await h.Sessions.OpenAsync(v2, agent2);
        await h.Sessions.PauseAsync(v2, agent2, "Almuerzo");
        return new Seeded(branch, caja.Id, info.Id, asesoria.Id, agent1, agent2, w2.Id, customer.Id);
    }
}
