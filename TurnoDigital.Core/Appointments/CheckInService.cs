using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Appointments;

/// <summary>Arrival: finds today's appointment and places the person in the line with appointment priority.</summary>
public sealed class CheckInService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, QueueQueries queries)
{
    /// <summary>Today's booked appointments at the branch for a document number or an appointment code (typed or scanned).</summary>
    public async Task<IReadOnlyList<AppointmentView>> FindTodayAsync(int branchId, string? documentOrCode, CancellationToken ct = default)
    {
        var text = (documentOrCode ?? "").Trim();
        if (text.Length is < 3 or > 40) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var today = BranchTime.LocalDay(now, branch.Zone);
        var dayStart = TimeZoneInfo.ConvertTimeToUtc(today.ToDateTime(TimeOnly.MinValue), branch.Zone);
        var dayEnd = dayStart.AddDays(1);

        var code = BookingService.NormalizeCode(text);
        var digits = new string(text.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        var found = await db.Appointments.AsNoTracking().Include(a => a.Customer)
            .Where(a => a.BranchId == branchId && a.Status == AppointmentStatus.Booked && a.Start >= dayStart && a.Start < dayEnd
                && (a.Code == code || a.Customer!.Document!.Number == digits))
            .OrderBy(a => a.Start).ToListAsync(ct);
        var views = new List<AppointmentView>();
        foreach (var a in found) views.Add(await BookingService.ViewAsync(db, a, ct));
        return views;
    }

    /// <summary>Inside the window: a ticket with appointment priority. Too early: when to come back. Too late: a walk-in offer.</summary>
    public async Task<CheckInResult> CheckInAsync(long appointmentId, Channel checkInChannel, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var appointment = await db.Appointments.Include(a => a.Customer).FirstOrDefaultAsync(a => a.Id == appointmentId, ct)
            ?? throw new DomainException("Appointment.NotFound");
        var service = await db.Services.Include(s => s.Branch).ThenInclude(b => b!.Hours).Include(s => s.Branch).ThenInclude(b => b!.ClosedDates)
            .SingleAsync(s => s.Id == appointment.ServiceId, ct);
        var view = await BookingService.ViewAsync(db, appointment, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = service.Branch!.Zone;
        var opensAt = appointment.Start.AddMinutes(-service.CheckInEarlyMinutes);
        if (now < opensAt) return new CheckInResult(CheckInOutcome.TooEarly, view, EarliestLocal: BranchTime.ToLocal(opensAt, zone));
        if (now > appointment.Start.AddMinutes(service.CheckInLateMinutes))
            return new CheckInResult(CheckInOutcome.TooLate, view, WalkInOffered: service.TakesWalkIns && service.Branch.IsOpenAt(now));

        Ticket ticket;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Appointment.CheckIn checks the status; if it refuses, the transaction (and the ticket number) is not committed.
            ticket = await QueueService.NewTicketAsync(db, service, BranchTime.LocalDay(now, zone), now, appointment.Channel, null, null, ct);
            appointment.CheckIn(ticket, checkInChannel, now, actorId);
            ticket.IssueFor(appointment, now, actorId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new StaleStateException("Appointment.AlreadyCheckedIn");
            }
            appointment.LinkTicket(ticket.Id);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return new CheckInResult(CheckInOutcome.CheckedIn, await BookingService.ViewAsync(db, appointment, ct), await queries.GetStatusAsync(ticket.Code, ct));
    }
}
