using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Customers;

public sealed record VisitEntry(DateTime Local, string Kind, string ServiceName, Channel Channel, string Status);

/// <summary>For staff only: who the person at the counter is, their appointment and what they did before.</summary>
/// <remarks>
/// <paramref name="VisitContact"/>: the name, phone and e-mail given for this visit, when they differ from what the customer
/// record holds from an earlier visit (a later visit never rewrites it: the desk sees both and asks the person).
/// </remarks>
public sealed record VisitorView(
    string? FullName, DocumentType? DocumentType, string? DocumentNumber, string? Phone, string? Email,
    AppointmentView? Appointment, IReadOnlyDictionary<string, string> Intake, IReadOnlyList<VisitEntry> History,
    VisitContact? VisitContact = null);

public sealed record VisitContact(string? Name, string? Phone, string? Email);

public sealed class VisitorQueries(IDbContextFactory<TurnoDbContext> dbFactory)
{
    public async Task<VisitorView?> GetForTicketAsync(long ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket?.CustomerId is not int customerId) return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, ct);
        var zone = (await db.Branches.AsNoTracking().SingleAsync(b => b.Id == ticket.BranchId, ct)).Zone;

        AppointmentView? appointment = null;
        IReadOnlyDictionary<string, string> intake;
        if (ticket.AppointmentId is long appointmentId)
        {
            var a = await db.Appointments.AsNoTracking().SingleAsync(x => x.Id == appointmentId, ct);
            appointment = await BookingService.ViewAsync(db, a, ct);
            intake = await LabelledAsync(db, a.ServiceId, a.IntakeData, ct);
        }
        else intake = await LabelledAsync(db, ticket.ServiceId, ticket.IntakeData, ct); // a walk-in that filled the intake at the kiosk or API

        var services = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var appointments = await db.Appointments.AsNoTracking().Where(a => a.CustomerId == customerId && a.Id != ticket.AppointmentId)
            .OrderByDescending(a => a.Start).Take(10).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.CustomerId == customerId && t.Id != ticketId && t.AppointmentId == null)
            .OrderByDescending(t => t.IssuedAt).Take(10).ToListAsync(ct);
        var history = appointments.Select(a => new VisitEntry(BranchTime.ToLocal(a.Start, zone), "Cita", services.GetValueOrDefault(a.ServiceId, "?"), a.Channel, a.Status.ToString()))
            .Concat(tickets.Select(t => new VisitEntry(BranchTime.ToLocal(t.IssuedAt, zone), "Turno", services.GetValueOrDefault(t.ServiceId, "?"), t.Channel, t.Status.ToString())))
            .OrderByDescending(v => v.Local).Take(10).ToList();
        var (name, phone, email) = (ticket.ContactName, ticket.ContactPhone?.Value, ticket.ContactEmail?.Value);
        var differs = (name is not null && name != customer.FullName) || (phone is not null && phone != customer.Phone?.Value)
            || (email is not null && email != customer.Email?.Value);
        return new VisitorView(customer.FullName, customer.Document?.Type, customer.Document?.Number, customer.Phone?.Value, customer.Email?.Value, appointment, intake, history,
            differs ? new VisitContact(name, phone, email) : null);
    }

    /// <summary>Custom answers shown with the labels the admin gave the fields.</summary>
    static async Task<IReadOnlyDictionary<string, string>> LabelledAsync(TurnoDbContext db, int serviceId, string? json, CancellationToken ct)
    {
        if (json is null) return new Dictionary<string, string>();
        var labels = await db.IntakeFields.AsNoTracking().Where(f => f.ServiceId == serviceId).ToDictionaryAsync(f => f.Key, f => f.Label, ct);
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [])
            .ToDictionary(kv => labels.GetValueOrDefault(kv.Key, kv.Key), kv => kv.Value);
    }
}
