using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// The one "day closed" signal: a row per branch and local service day, written when a supervisor closes the day from the
/// panel or, at the latest, once the local midnight has passed (the expiry job). From then on the day's line is over: nothing more
/// is issued that day and every ticket of it has ended (<see cref="QueueService.CloseDayAsync"/>). What is recorded later about
/// that day (a rating the next morning, a correction) is a late event (<see cref="QueueService.LateEvents"/>). Readers of a day's
/// figures follow this: the daily PDF is made once the row exists and made again when late events arrive after its
/// <see cref="ReportAt"/>; report pre-aggregates should do the same with a stamp of their own.
/// </summary>
public class DayClosure : Entity
{
    public const int ReasonMax = 500;

    public long Id { get; private set; }
    public int BranchId { get; private set; }
    public DateOnly Day { get; private set; }
    public DateTime ClosedAt { get; private set; }
    /// <summary>The supervisor who closed it; null when the day ended at midnight (the system).</summary>
    public string? ClosedById { get; private set; }
    public string? Reason { get; private set; }
    public bool AtMidnight { get; private set; }
    /// <summary>When the daily PDF was last made from this day's rows; late events after it make it again.</summary>
    public DateTime? ReportAt { get; set; }
    /// <summary>When the day's <see cref="Reporting.DailyAggregate"/> rows were last computed; null = not yet, or a late change made them stale.</summary>
    public DateTime? AggregatedAt { get; set; }
    /// <summary>Saves that changed this day's tickets or appointments after it closed (<see cref="Reporting.LateChangeInterceptor"/>).</summary>
    public int LateChanges { get; set; }

    DayClosure() { }

    public static DayClosure BySupervisor(int branchId, DateOnly day, DateTime now, string userId, string reason) =>
        new DayClosure { BranchId = branchId, Day = day, ClosedAt = now, ClosedById = userId, Reason = reason }.Announced();

    public static DayClosure ByMidnight(int branchId, DateOnly day, DateTime now) =>
        new DayClosure { BranchId = branchId, Day = day, ClosedAt = now, AtMidnight = true }.Announced();

    // The kiosk and /fila show the branch closed at once, even when no ticket was left to end.
    DayClosure Announced()
    {
        Announce(new QueueEvent(BranchId, QueueEventKind.DayClosed));
        return this;
    }
}

/// <summary>A branch's next opening (local time) as the refusal's language reads it: "jueves 26 de noviembre a las 8:00 a. m.".</summary>
public readonly record struct OpeningTime(DateTime Local) : IFormattable
{
    public string ToString(string? format, IFormatProvider? provider) =>
        provider is System.Globalization.CultureInfo { TwoLetterISOLanguageName: "en" } en
            ? Local.ToString("dddd, MMMM d 'at' h:mm tt", en)
            : $"{WhatsApp.MessageFormat.Date(Local)} a las {WhatsApp.MessageFormat.Time(Local)}";

    public override string ToString() => ToString(null, System.Globalization.CultureInfo.CurrentUICulture);
}

/// <summary>One ticket still open when the day is closed, as the panel already shows it (number, service, state: no personal data).</summary>
public sealed record OpenTicketAtClose(string Number, string Service, TicketStatus Status);

/// <summary>What closing a branch's day now would end (<see cref="AlreadyClosed"/>: it is closed already).</summary>
public sealed record DayClosePreview(int BranchId, DateOnly Day, bool AlreadyClosed, IReadOnlyList<OpenTicketAtClose> Open);

/// <summary>What a day close ended: waiting/called tickets expired, tickets being served closed by the system, remote ones not arrived.</summary>
public sealed record DayCloseResult(DateOnly Day, int Expired, int ClosedBySystem, int NotArrived);

/// <summary>Closing time and the day close (issue 14 §1, §8).</summary>
public sealed partial class QueueService
{
    static readonly TicketStatus[] OpenAtClose = [TicketStatus.Waiting, TicketStatus.Called, TicketStatus.Serving, TicketStatus.Remote];

    /// <summary>
    /// New tickets only while the branch is open and its day is not closed; the refusal names the next opening. Those already in
    /// line are served after closing: their day ends at a supervisor's close or at midnight.
    /// </summary>
    /// <remarks>Also asked by the WhatsApp bot when a service is picked, so the refusal comes before the intake questions.</remarks>
    internal static async Task EnsureIssuingAsync(TurnoDbContext db, Branch branch, DateTime now, CancellationToken ct)
    {
        if (await IsDayClosedAsync(db, branch, now, ct))
            throw branch.NextOpeningLocal(now, notToday: true) is { } next
                ? new DomainException("Branch.DayClosedUntil", new OpeningTime(next)) : new DomainException("Branch.DayClosed");
        if (!branch.IsOpenAt(now))
            throw branch.NextOpeningLocal(now) is { } next ? new DomainException("Branch.ClosedUntil", new OpeningTime(next)) : new DomainException("Branch.ClosedNow");
    }

    /// <summary>The branch's local day of <paramref name="now"/> was closed (by a supervisor, or by the system after midnight).</summary>
    internal static Task<bool> IsDayClosedAsync(TurnoDbContext db, Branch branch, DateTime now, CancellationToken ct)
    {
        var day = BranchTime.LocalDay(now, branch.Zone);
        return db.DayClosures.AnyAsync(c => c.BranchId == branch.Id && c.Day == day, ct);
    }

    /// <summary>Who is still in today's line of a branch, for the supervisor's confirmation. Same authorization as the close.</summary>
    public async Task<DayClosePreview> PreviewDayCloseAsync(int branchId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await EnsureMayCloseAsync(db, branchId, userId, ct);
        var day = BranchTime.LocalDay(clock.GetUtcNow().UtcDateTime, branch.Zone);
        var closed = await db.DayClosures.AnyAsync(c => c.BranchId == branchId && c.Day == day, ct);
        var open = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && OpenAtClose.Contains(t.Status))
            .Join(db.Services, t => t.ServiceId, s => s.Id, (t, s) => new { t.Status, t.Number, Service = s.Name, t.DueAt })
            .OrderBy(x => x.DueAt).ToListAsync(ct);
        return new DayClosePreview(branchId, day, closed,
            open.OrderBy(x => Array.IndexOf(OpenAtClose, x.Status)).Select(x => new OpenTicketAtClose(x.Number, x.Service, x.Status)).ToList());
    }

    /// <summary>
    /// A supervisor of the branch (or an admin) closes today's day: everyone still in line ends (<see cref="CloseDayCoreAsync"/>),
    /// with the reason audited. Refused for anyone else (<see cref="BranchAccess"/>) and without a reason.
    /// </summary>
    public async Task<DayCloseResult> CloseDayAsync(int branchId, string userId, string? reason, CancellationToken ct = default)
    {
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why) || why.Length > DayClosure.ReasonMax) throw new DomainException("DayClose.ReasonRequired", DayClosure.ReasonMax);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var branch = await EnsureMayCloseAsync(db, branchId, userId, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var day = BranchTime.LocalDay(now, branch.Zone);
            if (await db.DayClosures.AnyAsync(c => c.BranchId == branchId && c.Day == day, ct)) throw new DomainException("DayClose.AlreadyClosed");
            try
            {
                return await CloseDayCoreAsync(db, DayClosure.BySupervisor(branchId, day, now, userId, why), ct);
            }
            // An agent finished a ticket meanwhile: read the line again.
            catch (DbUpdateConcurrencyException) when (attempt < 3) { }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                // Another supervisor (or the midnight sweep) closed it first: the unique index said so.
                if (await AlreadyClosedAsync(branchId, day, ct)) throw new DomainException("DayClose.AlreadyClosed");
                throw;
            }
        }
    }

    async Task<bool> AlreadyClosedAsync(int branchId, DateOnly day, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DayClosures.AnyAsync(c => c.BranchId == branchId && c.Day == day, ct);
    }

    /// <summary>Supervisors of the branch and admins; agents, supervisors of other branches and unknown users never.</summary>
    static async Task<Branch> EnsureMayCloseAsync(TurnoDbContext db, int branchId, string userId, CancellationToken ct)
    {
        var roles = await db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync(ct);
        var isAdmin = roles.Contains(Roles.Admin);
        var allowed = isAdmin || roles.Contains(Roles.Supervisor) ? await BranchAccess.AllowedAsync(db, userId, isAdmin, ct) : [];
        if (allowed is not null && !allowed.Contains(branchId)) throw new DomainException("DayClose.NotAllowed");
        return await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct) ?? throw new DomainException("Branch.NotFound");
    }

    /// <summary>
    /// Ends the day's line in one transaction with its <see cref="DayClosure"/> row: waiting and called tickets expire (walk-outs),
    /// tickets being served are completed by the system, remote tickets whose holder never arrived end as not arrived (and hear
    /// that the branch closed). The audit row says who closed it and why.
    /// </summary>
    async Task<DayCloseResult> CloseDayCoreAsync(TurnoDbContext db, DayClosure closure, CancellationToken ct)
    {
        var now = closure.ClosedAt;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.DayClosures.Add(closure);
        var open = await db.Tickets.Where(t => t.BranchId == closure.BranchId && t.ServiceDay == closure.Day && OpenAtClose.Contains(t.Status))
            .ToListAsync(ct);
        int expired = 0, system = 0, notArrived = 0;
        foreach (var t in open)
        {
            switch (t.Status)
            {
                case TicketStatus.Serving: t.CloseBySystem(now); system++; break;
                case TicketStatus.Remote: t.EndNotArrived(now); notArrived++; break;
                default: t.Expire(now); expired++; break;
            }
        }
        AuditLog.Add(db, now, closure.ClosedById, null, AuditActions.DayClosed, nameof(DayClosure), closure.Day.ToString("yyyy-MM-dd"), closure.BranchId,
            new { day = closure.Day.ToString("yyyy-MM-dd"), reason = closure.Reason, atMidnight = closure.AtMidnight, expired, closedBySystem = system, notArrived });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new DayCloseResult(closure.Day, expired, system, notArrived);
    }

    /// <summary>
    /// The expiry job's sweep. At closing time remote tickets whose holder has not arrived end as not arrived (the branch takes
    /// nobody new); everyone in line stays until the day is closed. Once a branch's local midnight has passed, each earlier day
    /// that had hours or tickets and was not closed by a supervisor is closed by the system. Idempotent. Returns the tickets ended.
    /// </summary>
    public async Task<int> SweepClosingAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var ended = 0;
        foreach (var branch in await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).ToListAsync(ct))
        {
            var today = BranchTime.LocalDay(now, branch.Zone);
            if (branch.IsClosedForTheDay(now))
            {
                var remote = await db.Tickets.Where(t => t.BranchId == branch.Id && t.ServiceDay == today && t.Status == TicketStatus.Remote).ToListAsync(ct);
                foreach (var t in remote) t.EndNotArrived(now);
                try { await db.SaveChangesAsync(ct); ended += remote.Count; }
                catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); } // arrived meanwhile: the next run looks again
            }
            var yesterday = today.AddDays(-1);
            var days = await db.Tickets.Where(t => t.BranchId == branch.Id && t.ServiceDay < today && OpenAtClose.Contains(t.Status))
                .Select(t => t.ServiceDay).Distinct().ToListAsync(ct);
            if (branch.OpenIntervals(yesterday).Count > 0 || await db.Tickets.AnyAsync(t => t.BranchId == branch.Id && t.ServiceDay == yesterday, ct))
                days.Add(yesterday);
            foreach (var day in days.Distinct().Order())
            {
                if (await db.DayClosures.AnyAsync(c => c.BranchId == branch.Id && c.Day == day, ct)) continue;
                await using var dayDb = await dbFactory.CreateDbContextAsync(ct);
                try
                {
                    var r = await CloseDayCoreAsync(dayDb, DayClosure.ByMidnight(branch.Id, day, now), ct);
                    ended += r.Expired + r.ClosedBySystem + r.NotArrived;
                }
                catch (DbUpdateException) { } // closed by another node or a supervisor meanwhile, or a ticket moved: the next run looks again
            }
        }
        return ended;
    }

    /// <summary>
    /// Late events of a day: journey rows recorded after <paramref name="since"/> about that branch-day's tickets or appointments
    /// (a rating the next morning, a correction). For a closed day (<see cref="DayClosure"/>) they mean its figures changed.
    /// </summary>
    public static IQueryable<JourneyEvent> LateEvents(TurnoDbContext db, int branchId, DateOnly day, TimeZoneInfo zone, DateTime since)
    {
        var from = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone);
        var to = TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        return db.JourneyEvents.Where(e => e.BranchId == branchId && e.At > since
            && ((e.TicketId != null && e.Ticket!.ServiceDay == day) || (e.AppointmentId != null && e.Appointment!.Start >= from && e.Appointment.Start < to)));
    }
}
