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
            var t = new Ticket
            {
                BranchId = branch, ServiceId = serviceId, ServiceDay = Day, Sequence = ++seq, Number = Ticket.FormatNumber("T", seq), Code = $"sup{seq:000}",
                Channel = channel, IssuedAt = issued, DueAt = due ?? issued, Status = status, Rating = rating,
            };
            if (waitMin is { } w)
            {
                t.FirstCalledAt = t.CalledAt = t.DueAt.AddMinutes(w);
                t.CallCount = 1;
                t.CounterId = v1;
                t.AgentId = agent1;
            }
            if (serviceMin is { } s)
            {
                t.StartedAt = t.FirstCalledAt!.Value.AddMinutes(0.5);
                t.ClosedAt = t.StartedAt.Value.AddMinutes(s);
            }
            if (status == TicketStatus.NoShow) t.ClosedAt = t.FirstCalledAt!.Value.AddMinutes(3);
            db.Tickets.Add(t);
            return t;
        }

        T(caja.Id, Channel.Kiosk, At(8, 0), 2, TicketStatus.Completed, 4, 5);
        T(caja.Id, Channel.Kiosk, At(8, 1), 4, TicketStatus.Completed, 6, 3);
        T(caja.Id, Channel.Kiosk, At(8, 2), 6, TicketStatus.Completed, 5);
        T(caja.Id, Channel.Kiosk, At(8, 3), 8, TicketStatus.NoShow);
        T(caja.Id, Channel.Kiosk, At(8, 4), 20, TicketStatus.Completed, 3, 4);
        T(caja.Id, Channel.Kiosk, At(9, 45), null, TicketStatus.Waiting);
        for (var i = 0; i < 5; i++) T(info.Id, Channel.Kiosk, At(9, i), 1, TicketStatus.Completed, 2);
        T(caja.Id, Channel.WhatsApp, At(9, 30), null, TicketStatus.Remote);

        var customer = new Customer { DocumentType = DocumentType.CC, DocumentNumber = "1012345678", FullName = "Marta Lucía Prueba", Phone = "+573001112233", CreatedAt = At(6) };
        db.Customers.Add(customer);
        Appointment A(Channel channel, DateTime start, AppointmentStatus status, DateTime created, DateTime? checkedIn = null) =>
            db.Appointments.Add(new Appointment
            {
                Code = $"SUP{db.ChangeTracker.Entries<Appointment>().Count():000}", BranchId = branch, ServiceId = asesoria.Id, Customer = customer,
                Start = start, End = start.AddMinutes(30), Status = status, Channel = channel, CreatedAt = created, CheckedInAt = checkedIn,
                CancelledAt = status == AppointmentStatus.Cancelled ? created.AddMinutes(5) : null,
            }).Entity;

        var a1 = A(Channel.WhatsApp, At(9), AppointmentStatus.CheckedIn, At(9).AddDays(-1), At(8, 50));
        var a2 = A(Channel.WhatsApp, At(9, 30), AppointmentStatus.CheckedIn, At(7), At(9, 40));
        A(Channel.WhatsApp, At(8), AppointmentStatus.NoShow, At(8).AddDays(-1));
        A(Channel.WhatsApp, At(15), AppointmentStatus.Booked, At(8));
        A(Channel.WhatsApp, At(9), AppointmentStatus.Cancelled, At(6));
        A(Channel.Web, At(8, 30), AppointmentStatus.NoShow, At(8).AddDays(-2));

        var w1 = T(asesoria.Id, Channel.WhatsApp, At(8, 50), 3, TicketStatus.Completed, 10, 2, due: At(9));
        var w2 = T(asesoria.Id, Channel.WhatsApp, At(9, 40), 0.5, TicketStatus.Serving, due: At(9, 40));
        w2.StartedAt = At(9, 41);
        w1.Customer = w2.Customer = customer;
        w1.Appointment = a1;
        w2.Appointment = a2;
        await db.SaveChangesAsync();
        a1.TicketId = w1.Id;
        a2.TicketId = w2.Id;

        // Journey of the WhatsApp customer (deliberately added out of order).
        JourneyLog.Add(db, w1, JourneyEventKind.ServiceRated, At(9, 20));
        JourneyLog.Add(db, a1, JourneyEventKind.AppointmentBooked, Channel.WhatsApp, At(9).AddDays(-1));
        JourneyLog.Add(db, a1, JourneyEventKind.AppointmentCheckedIn, Channel.Kiosk, At(8, 50));
        JourneyLog.Add(db, w1, JourneyEventKind.TicketCalled, At(9, 3), agent1);
        await db.SaveChangesAsync();

        // Agent 1 serves at Ventanilla 1; agent 2 is on a break at Ventanilla 2.
        await h.Sessions.OpenAsync(v1, agent1);
        var v2 = (await h.CounterAsync("Ventanilla 2")).Id;
        await h.Sessions.OpenAsync(v2, agent2);
        await h.Sessions.PauseAsync(v2, agent2, "Almuerzo");
        return new Seeded(branch, caja.Id, info.Id, asesoria.Id, agent1, agent2, w2.Id, customer.Id);
    }
}
