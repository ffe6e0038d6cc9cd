using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Customers;

/// <summary>For staff only: who the person at the counter is and their appointment (intake and history: <see cref="PersonHistoryQueries"/>).</summary>
/// <remarks>
/// <paramref name="VisitContact"/>: the name, phone and e-mail given for this visit, when they differ from what the customer
/// record holds from an earlier visit (a later visit never rewrites it: the desk sees both and asks the person).
/// </remarks>
public sealed record VisitorView(
    string? FullName, DocumentType? DocumentType, string? DocumentNumber, string? Phone, string? Email,
    AppointmentView? Appointment, VisitContact? VisitContact = null);

public sealed record VisitContact(string? Name, string? Phone, string? Email);

public sealed class VisitorQueries(IDbContextFactory<TurnoDbContext> dbFactory)
{
    public async Task<VisitorView?> GetForTicketAsync(long ticketId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket?.CustomerId is not int customerId) return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, ct);

        var appointment = ticket.AppointmentId is long appointmentId
            ? await BookingService.ViewAsync(db, await db.Appointments.AsNoTracking().SingleAsync(x => x.Id == appointmentId, ct), ct)
            : null;
        var (name, phone, email) = (ticket.ContactName, ticket.ContactPhone?.Value, ticket.ContactEmail?.Value);
        var differs = (name is not null && name != customer.FullName) || (phone is not null && phone != customer.Phone?.Value)
            || (email is not null && email != customer.Email?.Value);
        return new VisitorView(customer.FullName, customer.Document?.Type, customer.Document?.Number, customer.Phone?.Value, customer.Email?.Value, appointment,
            differs ? new VisitContact(name, phone, email) : null);
    }
}
