using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Appointments;

/// <summary>Arrival: finds today's appointment and places the person in the line with appointment priority.</summary>
public sealed class CheckInService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, QueueQueries queries)
{
    /// <summary>
    /// Today's booked appointments at the branch (and today's no-shows: they may still arrive late) for a document or an appointment code (typed or scanned). A document is its type
    /// and number (CC 123 and TI 123 are different people): screens pass <paramref name="documentType"/>; without it any type matches.
    /// </summary>
    public async Task<IReadOnlyList<AppointmentView>> FindTodayAsync(int branchId, string? documentOrCode, DocumentType? documentType = null,
        CancellationToken ct = default)
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
            .Where(a => a.BranchId == branchId && (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.NoShow) && a.Start >= dayStart && a.Start < dayEnd
                && (a.Code == code || (a.Customer!.Document!.Number == digits && (documentType == null || a.Customer.Document.Type == documentType))))
            .OrderBy(a => a.Start).ToListAsync(ct);
        var views = new List<AppointmentView>();
        foreach (var a in found) views.Add(await BookingService.ViewAsync(db, a, ct));
        return views;
    }

    /// <summary>Inside the window: a ticket with appointment priority. Too early: when to come back. Too late: a walk-in offer.</summary>
    public async Task<CheckInResult> CheckInAsync(long appointmentId, Channel checkInChannel, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (appointment, service) = await LoadAsync(db, appointmentId, ct);
        var view = await BookingService.ViewAsync(db, appointment, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = service.Branch!.Zone;
        var opensAt = appointment.Start.AddMinutes(-service.CheckInEarlyMinutes);
        if (now < opensAt) return new CheckInResult(CheckInOutcome.TooEarly, view, EarliestLocal: BranchTime.ToLocal(opensAt, zone));
        if (now > appointment.Start.AddMinutes(service.CheckInLateMinutes))
            return new CheckInResult(CheckInOutcome.TooLate, view, WalkInOffered: service.TakesWalkIns && service.Branch.IsOpenAt(now));

        var ticket = await IssueLinkedAsync(db, appointment, service, now, (t, a) =>
        {
            a.CheckIn(t, checkInChannel, now, actorId);
            t.IssueFor(a, now, actorId);
        }, ct);
        return new CheckInResult(CheckInOutcome.CheckedIn, await BookingService.ViewAsync(db, appointment, ct), await queries.GetStatusAsync(ticket.Code, ct));
    }

    /// <summary>
    /// An agent checks in an appointment past its late tolerance, with appointment priority, giving the reason (audited).
    /// Inside the window it is refused: the normal check-in applies.
    /// </summary>
    public async Task<CheckInResult> CheckInLateAsync(long appointmentId, string agentId, string? reason, CancellationToken ct = default)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new DomainException("Appointment.LateReasonRequired");
        if (reason.Length > LateReasonMax) reason = reason[..LateReasonMax];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (appointment, service) = await LoadAsync(db, appointmentId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        EnsureLateToday(appointment, service, now);
        var ticket = await IssueLinkedAsync(db, appointment, service, now, (t, a) =>
        {
            a.CheckInLate(t, now, agentId, reason);
            t.IssueFor(a, now, agentId);
        }, ct);
        return new CheckInResult(CheckInOutcome.CheckedIn, await BookingService.ViewAsync(db, appointment, ct), await queries.GetStatusAsync(ticket.Code, ct));
    }

    /// <summary>
    /// Too late for its check-in, the person takes a walk-in ticket instead (kiosk or desk): the ticket is linked to the
    /// appointment, which counts as attended and is never marked no-show.
    /// </summary>
    public async Task<TicketStatusView> WalkInForLateAsync(long appointmentId, Channel channel, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (appointment, service) = await LoadAsync(db, appointmentId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        EnsureLateToday(appointment, service, now);
        if (!service.TakesWalkIns || !service.Branch!.IsOpenAt(now)) throw new DomainException("Appointment.WalkInNotOffered");
        var ticket = await IssueLinkedAsync(db, appointment, service, now, (t, a) =>
        {
            a.ServeAsWalkIn(t, channel, now, actorId);
            t.IssueAsWalkInFor(a, now, actorId);
        }, ct, channel);
        return (await queries.GetStatusAsync(ticket.Code, ct))!;
    }

    /// <summary>
    /// The check-in notification for the desk of the agent (or counter) the ticket is assigned to: the person's name and the
    /// appointment's local time. Null for any other desk, so the name reaches only the assignee (live events carry no names).
    /// </summary>
    public async Task<AssignedArrivalView?> AssignedArrivalAsync(long ticketId, int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.Tickets.AsNoTracking()
            .Where(t => t.Id == ticketId && t.Status == TicketStatus.Waiting && t.AppointmentId != null
                && (t.AssignedAgentId == agentId || (t.AssignedAgentId == null && t.AssignedCounterId == counterId)))
            .Select(t => new { t.Id, t.Number, Name = t.ContactName ?? t.Customer!.FullName, t.Appointment!.Start, t.BranchId })
            .FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var zone = await db.Branches.Where(b => b.Id == found.BranchId).Select(b => b.TimeZoneId).SingleAsync(ct);
        return new AssignedArrivalView(found.Id, found.Number, found.Name, BranchTime.ToLocal(found.Start, BranchTime.Zone(zone)));
    }

    public const int LateReasonMax = 300;

    /// <summary>Past the late tolerance and still its day: the no-show job may have marked it already, and a late arrival still counts as attended.</summary>
    static void EnsureLateToday(Appointment appointment, Organization.Service service, DateTime now)
    {
        if (now <= appointment.Start.AddMinutes(service.CheckInLateMinutes)) throw new DomainException("Appointment.NotLate");
        var zone = service.Branch!.Zone;
        if (BranchTime.LocalDay(appointment.Start, zone) != BranchTime.LocalDay(now, zone)) throw new DomainException("Appointment.NotBooked");
    }

    async Task<(Appointment, Organization.Service)> LoadAsync(TurnoDbContext db, long appointmentId, CancellationToken ct)
    {
        var appointment = await db.Appointments.Include(a => a.Customer).FirstOrDefaultAsync(a => a.Id == appointmentId, ct)
            ?? throw new DomainException("Appointment.NotFound");
        var service = await db.Services.Include(s => s.Branch).ThenInclude(b => b!.Hours).Include(s => s.Branch).ThenInclude(b => b!.ClosedDates)
            .SingleAsync(s => s.Id == appointment.ServiceId, ct);
        return (appointment, service);
    }

    /// <summary>
    /// A numbered ticket and the appointment's move in one transaction (<paramref name="act"/>); if the appointment refuses,
    /// nothing (not even the ticket number) is committed. <paramref name="channel"/>: the ticket's channel (default: the booking's).
    /// </summary>
    static async Task<Ticket> IssueLinkedAsync(TurnoDbContext db, Appointment appointment, Organization.Service service, DateTime now,
        Action<Ticket, Appointment> act, CancellationToken ct, Channel? channel = null)
    {
        Ticket ticket;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            ticket = await QueueService.NewTicketAsync(db, service, BranchTime.LocalDay(now, service.Branch!.Zone), now, channel ?? appointment.Channel, null, null, ct);
            act(ticket, appointment);
            if (ticket.Priority == PriorityClass.Appointment) await AgentAssignments.AssignAsync(db, appointment, service, ticket, now, ct);
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
        return ticket;
    }
}
