using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Appointments;

/// <summary>What the admin does with the bookings a closure or a change of hours leaves outside the calendar.</summary>
public enum BookingDecision { Keep, Cancel }

/// <summary>
/// One booking a schedule change affects, as the admin's dialog lists it: no personal data besides the code.
/// <paramref name="Notified"/>: the person has WhatsApp consent and would get the notice (else they go on the call-back list).
/// </summary>
public sealed record AffectedBooking(long Id, string Code, DateTime StartLocal, string ServiceName, bool Notified);

/// <summary>
/// Finds the bookings a change of a branch's calendar (closed date, weekly hours, a service's appointment hours or slot length)
/// affects, and cancels them for the branch when the admin so decides: each person with WhatsApp consent gets the notice with a
/// link to pick a new time; the others go on the call-back list.
/// </summary>
public static class ScheduleChangeBookings
{
    /// <summary>The kinds of calendar change, as the audit trail names them.</summary>
    public const string ClosedDate = "closed-date", Hours = "hours", ServiceHours = "service";

    /// <summary>
    /// Future booked appointments of <paramref name="branchId"/> (of <paramref name="serviceId"/> only, when given) that fit the
    /// calendar before the change but not after: outside the new hours, or off the new slot grid (a booking already off the grid,
    /// kept through an earlier change, is listed again only when the new hours leave it outside).
    /// </summary>
    public static async Task<List<Appointment>> FindAsync(TurnoDbContext db, int branchId, int? serviceId, Branch before, Branch after,
        Func<Service, (Service Before, Service After)> services, DateTime now, CancellationToken ct)
    {
        var rows = await db.Appointments.Include(a => a.Customer)
            .Where(a => a.BranchId == branchId && a.Status == AppointmentStatus.Booked && a.Start > now && (serviceId == null || a.ServiceId == serviceId))
            .OrderBy(a => a.Start).ToListAsync(ct);
        if (rows.Count == 0) return rows;
        var byId = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId).ToDictionaryAsync(s => s.Id, ct);
        return rows.Where(a =>
        {
            var (old, @new) = services(byId[a.ServiceId]);
            return !Inside(after, @new, a) || (OnGrid(before, old, a) && !OnGrid(after, @new, a));
        }).ToList();
    }

    /// <summary>The booking's own time (start to its end) lies inside an open interval and the service's appointment hours.</summary>
    static bool Inside(Branch branch, Service service, Appointment a)
    {
        var (day, from, to) = LocalSpan(branch, a);
        return Windows(branch, service, day).Any(w => from >= w.Open && to <= w.Close);
    }

    /// <summary>The booking's start is one of the calendar's slots (the availability grid).</summary>
    static bool OnGrid(Branch branch, Service service, Appointment a)
    {
        var (day, from, _) = LocalSpan(branch, a);
        var length = Math.Max(1, service.SlotMinutes);
        return Windows(branch, service, day).Any(w => from >= w.Open && (from - w.Open) % length == 0 && from + length <= w.Close);
    }

    static (DateOnly Day, int From, int To) LocalSpan(Branch branch, Appointment a)
    {
        var from = BranchTime.LocalMinuteOfDay(a.Start, branch.Zone);
        return (BranchTime.LocalDay(a.Start, branch.Zone), from, from + (int)Math.Round((a.End - a.Start).TotalMinutes));
    }

    static IEnumerable<(int Open, int Close)> Windows(Branch branch, Service service, DateOnly day) =>
        branch.OpenIntervals(day).Select(i => (Math.Max(i.From, service.AppointmentsFromMinute), Math.Min(i.To, service.AppointmentsToMinute)));

    /// <summary>The dialog's rows, with who would get the notice.</summary>
    public static async Task<IReadOnlyList<AffectedBooking>> ViewAsync(TurnoDbContext db, Branch branch, IReadOnlyList<Appointment> affected, CancellationToken ct)
    {
        var names = await db.Services.AsNoTracking().Where(s => s.BranchId == branch.Id).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var list = new List<AffectedBooking>();
        foreach (var a in affected)
            list.Add(new AffectedBooking(a.Id, a.Code, BranchTime.ToLocal(a.Start, branch.Zone), names.GetValueOrDefault(a.ServiceId, ""),
                await RecipientAsync(db, a, ct) is not null));
        return list;
    }

    static readonly string[] Purposes = [ConsentRecord.WhatsAppAppointmentUpdates];

    static Task<Recipient?> RecipientAsync(TurnoDbContext db, Appointment a, CancellationToken ct) =>
        Recipients.ResolveAsync(db, a.Customer, a.CustomerId, a.ContactPhone, a.WhatsAppOptIn, Purposes, ct: ct);

    public static string NoticeKey(Appointment a) => $"appointment:{a.Id}:cancelled-by-branch:{a.Start:yyyyMMddHHmm}";

    /// <summary>
    /// Applies the admin's decision on <paramref name="affected"/> in the caller's transaction and audits it (even "keep"): cancelled
    /// bookings free their seat and their person gets the notice (held to the branch's message hours) or goes on the call-back list.
    /// </summary>
    public static async Task DecideAsync(TurnoDbContext db, Branch branch, string change, IReadOnlyList<Appointment> affected, BookingDecision decision,
        PublicLinks links, DateTime now, string? actorId, CancellationToken ct)
    {
        if (affected.Count == 0) return;
        var notified = new List<string>();
        var callBack = new List<string>();
        if (decision == BookingDecision.Cancel)
        {
            var text = await MessageTexts.GetAsync(db, MessageKind.CancelledByBranch, ct);
            var services = await db.Services.AsNoTracking().Include(s => s.Branch).Where(s => s.BranchId == branch.Id).ToDictionaryAsync(s => s.Id, ct);
            foreach (var a in affected)
            {
                a.CancelByBranch(now, actorId);
                await db.AppointmentSlots.Where(s => s.BranchId == a.BranchId && s.ServiceId == a.ServiceId && s.Start == a.Start && s.Booked > 0)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked - 1), ct);
                var to = await RecipientAsync(db, a, ct);
                // Useful until the person has had a day to pick a new time, however late the old start is.
                var ttl = (a.Start > now ? a.Start - now : TimeSpan.Zero) + TimeSpan.FromDays(1);
                var content = MessageTexts.Compose(text, Notifications.AppointmentValues(a, services[a.ServiceId], links));
                var message = to is null ? null : await Outbox.AddAsync(db, to.Phone, MessageKind.CancelledByBranch, NoticeKey(a), content, now, ttl, ct);
                if (message is null) { callBack.Add(a.Code); continue; }
                (message.AppointmentId, message.BranchId, message.CustomerId, message.AppointmentStart) = (a.Id, a.BranchId, a.CustomerId, a.Start);
                message.NextAttemptAt = branch.NextMessageMoment(now); // the gate would hold it anyway
                notified.Add(a.Code);
            }
        }
        AuditLog.Add(db, now, actorId, null, AuditActions.BookingsDecided, "Branch", branch.Id, branch.Id, new
        {
            change, decision = decision.ToString(), codes = affected.Select(a => a.Code), notified, callBack,
        });
    }

    /// <summary>A row of the call-back list: a person the branch cancelled and could not tell on WhatsApp.</summary>
    public sealed record CallBack(string Code, DateTime StartLocal, string Service, string? Name, string? Phone, string? Document, DateTime CancelledLocal);

    /// <summary>
    /// Bookings the branch cancelled, still not moved to a new time, whose person got no notice: no consent, or the notice failed or
    /// expired. The admin calls them (Ley 1581: the data stay on the admin's screen and this file only).
    /// </summary>
    public static async Task<IReadOnlyList<CallBack>> CallBacksAsync(TurnoDbContext db, int branchId, DateTime now, CancellationToken ct)
    {
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct) ?? throw new DomainException("Branch.NotFound");
        var since = now.AddDays(-30);
        var rows = await db.Appointments.AsNoTracking().Include(a => a.Customer)
            .Where(a => a.BranchId == branchId && a.Status == AppointmentStatus.Cancelled && a.CancelReason == AppointmentCancelReason.Branch
                && a.CancelledAt > since
                && !db.Outbox.Any(m => m.AppointmentId == a.Id && m.Kind == MessageKind.CancelledByBranch
                    && m.Status != OutboxStatus.Failed && m.Status != OutboxStatus.Expired))
            .OrderBy(a => a.Start).ToListAsync(ct);
        var names = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return rows.Select(a => new CallBack(a.Code, BranchTime.ToLocal(a.Start, branch.Zone), names.GetValueOrDefault(a.ServiceId, ""),
            a.ContactName ?? a.Customer?.FullName, a.ContactPhone?.Value ?? a.Customer?.Phone?.Value,
            a.Customer?.Document is { } d ? $"{d.Type} {d.Number}" : null, BranchTime.ToLocal(a.CancelledAt!.Value, branch.Zone))).ToList();
    }

    /// <summary>
    /// The call-back list as CSV for Excel in es-CO (UTF-8 with BOM, ';'), through the report's cell writer: a field starting with
    /// = + - @ is quoted so a spreadsheet never runs it (a name is typed by whoever booked).
    /// </summary>
    public static byte[] CallBackCsv(IReadOnlyList<CallBack> rows)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        // The phone keeps its "+57 " apart: written as one number a spreadsheet would show it in scientific notation.
        static string Phone(string? p) => p is { Length: > 3 } && p.StartsWith("+57", StringComparison.Ordinal) ? "+57 " + p[3..] : p ?? "";
        var csv = Reporting.ChannelReportCsv.Csv(["codigo", "fecha", "hora", "servicio", "nombre", "telefono", "documento", "cancelada"],
            rows.Select(r => new[]
            {
                r.Code, r.StartLocal.ToString("yyyy-MM-dd", ci), r.StartLocal.ToString("HH:mm", ci), r.Service, r.Name ?? "", Phone(r.Phone), r.Document ?? "",
                r.CancelledLocal.ToString("yyyy-MM-dd HH:mm", ci),
            }));
        return Reporting.ChannelReportCsv.WithBom(csv);
    }
}
