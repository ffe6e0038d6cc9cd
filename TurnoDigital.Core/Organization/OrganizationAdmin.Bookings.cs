using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Organization;

/// <summary>Calendar changes and the bookings they affect: the admin sees them first and decides (keep, or cancel with a notice).</summary>
public sealed partial class OrganizationAdmin
{
    /// <summary>Bookings a new closed date would cancel, for the admin's dialog.</summary>
    public async Task<IReadOnlyList<AffectedBooking>> PreviewClosedDateAsync(int branchId, DateOnly date, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await LoadBranchAsync(db, branchId, ct) ?? throw new DomainException("Branch.NotFound");
        return await ScheduleChangeBookings.ViewAsync(db, branch, await AffectedByClosedDateAsync(db, branch, date, ct), ct);
    }

    /// <summary>Bookings new weekly hours would leave out.</summary>
    public async Task<IReadOnlyList<AffectedBooking>> PreviewHoursAsync(int branchId, IReadOnlyList<OpeningHours> hours, bool observesHolidays, CancellationToken ct = default)
    {
        ValidateHours(hours);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await LoadBranchAsync(db, branchId, ct) ?? throw new DomainException("Branch.NotFound");
        return await ScheduleChangeBookings.ViewAsync(db, branch, await AffectedByHoursAsync(db, branch, hours, observesHolidays, ct), ct);
    }

    /// <summary>Bookings new appointment hours or a new slot length would leave out (off the new grid).</summary>
    public async Task<IReadOnlyList<AffectedBooking>> PreviewServiceAsync(ServiceSettings settings, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Services.AsNoTracking().FirstOrDefaultAsync(x => x.Id == settings.Id, ct) ?? throw new DomainException("Service.NotFound");
        var branch = (await LoadBranchAsync(db, s.BranchId, ct))!;
        return await ScheduleChangeBookings.ViewAsync(db, branch, await AffectedByServiceAsync(db, s, settings, ct), ct);
    }

    /// <summary>The hours (local minutes) reminders and closure notices may leave; messages to people in today's line are never held.</summary>
    public async Task SetMessageHoursAsync(int branchId, int fromMinute, int toMinute, string? actorId = null, CancellationToken ct = default)
    {
        if (fromMinute < 0 || toMinute > 1440 || toMinute <= fromMinute) throw new DomainException("Branch.MessageHours");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.FirstOrDefaultAsync(b => b.Id == branchId, ct) ?? throw new DomainException("Branch.NotFound");
        var before = new { branch.MessagesFromMinute, branch.MessagesToMinute };
        (branch.MessagesFromMinute, branch.MessagesToMinute) = (fromMinute, toMinute);
        AuditLog.Add(db, Now, actorId, null, AuditActions.MessageHoursSet, "Branch", branch.Id, branch.Id, new { before, after = new { fromMinute, toMinute } });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The call-back list of a branch (people it cancelled and could not tell on WhatsApp); the download is audited.</summary>
    public async Task<IReadOnlyList<ScheduleChangeBookings.CallBack>> CallBacksAsync(int branchId, string? actorId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = await ScheduleChangeBookings.CallBacksAsync(db, branchId, Now, ct);
        AuditLog.Add(db, Now, actorId, null, AuditActions.CallBackListDownloaded, "Branch", branchId, branchId, new { rows = list.Count });
        await db.SaveChangesAsync(ct);
        return list;
    }

    static Task<Branch?> LoadBranchAsync(TurnoDbContext db, int branchId, CancellationToken ct) =>
        db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).FirstOrDefaultAsync(b => b.Id == branchId, ct);

    /// <summary>The same calendar with other hours or closed dates (nothing is tracked or saved).</summary>
    static Branch With(Branch b, IEnumerable<OpeningHours>? hours = null, bool? observesHolidays = null, ClosedDate? closed = null) => new()
    {
        Id = b.Id, Name = b.Name, TimeZoneId = b.TimeZoneId, ObservesNationalHolidays = observesHolidays ?? b.ObservesNationalHolidays,
        Hours = (hours ?? b.Hours).ToList(), ClosedDates = closed is null ? b.ClosedDates.ToList() : [.. b.ClosedDates, closed],
    };

    Task<List<Appointment>> AffectedByClosedDateAsync(TurnoDbContext db, Branch branch, DateOnly date, CancellationToken ct) =>
        ScheduleChangeBookings.FindAsync(db, branch.Id, null, branch, With(branch, closed: new ClosedDate { BranchId = branch.Id, Date = date }),
            s => (s, s), Now, ct);

    Task<List<Appointment>> AffectedByHoursAsync(TurnoDbContext db, Branch branch, IReadOnlyList<OpeningHours> hours, bool observesHolidays, CancellationToken ct) =>
        ScheduleChangeBookings.FindAsync(db, branch.Id, null, branch, With(branch, hours, observesHolidays), s => (s, s), Now, ct);

    async Task<List<Appointment>> AffectedByServiceAsync(TurnoDbContext db, Service before, ServiceSettings settings, CancellationToken ct)
    {
        if (before.SlotMinutes == settings.SlotMinutes && before.AppointmentsFromMinute == settings.AppointmentsFromMinute
            && before.AppointmentsToMinute == settings.AppointmentsToMinute) return [];
        var branch = (await LoadBranchAsync(db, before.BranchId, ct))!;
        var after = new Service
        {
            Id = before.Id, BranchId = before.BranchId, SlotMinutes = settings.SlotMinutes,
            AppointmentsFromMinute = settings.AppointmentsFromMinute, AppointmentsToMinute = settings.AppointmentsToMinute,
        };
        return await ScheduleChangeBookings.FindAsync(db, branch.Id, before.Id, branch, branch, s => s.Id == before.Id ? (s, after) : (s, s), Now, ct);
    }
}
