using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Appointments;

/// <summary>Bookable slots: opening hours, holidays and closed dates, capacity, booking window, in the branch's time zone.</summary>
public sealed class AvailabilityService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<SlotView>> GetSlotsAsync(int branchId, int serviceId, DateOnly date, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var service = await LoadAsync(db, branchId, serviceId, ct);
        return service is null ? [] : await SlotsAsync(db, service, date, date, ct);
    }

    /// <summary>Local dates in the booking window with at least one free place.</summary>
    public async Task<IReadOnlyList<DateOnly>> GetBookableDaysAsync(int branchId, int serviceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var service = await LoadAsync(db, branchId, serviceId, ct);
        if (service is null) return [];
        var today = BranchTime.LocalDay(clock.GetUtcNow().UtcDateTime, service.Branch!.Zone);
        var slots = await SlotsAsync(db, service, today, today.AddDays(service.MaxDaysAhead), ct);
        return slots.Where(s => s.Free > 0).Select(s => DateOnly.FromDateTime(s.StartLocal)).Distinct().ToList();
    }

    internal static Task<Service?> LoadAsync(TurnoDbContext db, int branchId, int serviceId, CancellationToken ct) =>
        db.Services.AsNoTracking().Include(s => s.IntakeFields)
            .Include(s => s.Branch).ThenInclude(b => b!.Hours).Include(s => s.Branch).ThenInclude(b => b!.ClosedDates)
            .FirstOrDefaultAsync(s => s.Id == serviceId && s.BranchId == branchId && s.IsActive
                && (s.Mode == ServiceMode.Schedulable || s.Mode == ServiceMode.Both), ct);

    /// <summary>Slots from <paramref name="from"/> to <paramref name="to"/> (local dates, inclusive) inside the booking window.</summary>
    internal async Task<IReadOnlyList<SlotView>> SlotsAsync(TurnoDbContext db, Service service, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var branch = service.Branch!;
        var zone = branch.Zone;
        var now = clock.GetUtcNow().UtcDateTime;
        var earliest = now.AddMinutes(service.MinNoticeMinutes);
        var lastDay = BranchTime.LocalDay(now, zone).AddDays(service.MaxDaysAhead);
        if (to > lastDay) to = lastDay;

        var candidates = new List<DateTime>();
        for (var day = from; day <= to; day = day.AddDays(1))
            foreach (var (opens, closes) in branch.OpenIntervals(day))
            {
                var (open, close) = (Math.Max(opens, service.AppointmentsFromMinute), Math.Min(closes, service.AppointmentsToMinute));
                for (var m = open; m + service.SlotMinutes <= close; m += service.SlotMinutes)
                {
                    var local = day.ToDateTime(TimeOnly.MinValue).AddMinutes(m);
                    var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
                    if (utc >= earliest) candidates.Add(utc);
                }
            }
        if (candidates.Count == 0) return [];

        var (first, last) = (candidates[0], candidates[^1]);
        var booked = await db.AppointmentSlots.AsNoTracking()
            .Where(s => s.BranchId == branch.Id && s.ServiceId == service.Id && s.Start >= first && s.Start <= last)
            .ToDictionaryAsync(s => s.Start, s => s.Booked, ct);
        var offGrid = await OffGridAsync(db, service, first, last, ct);
        return candidates.Select(utc => new SlotView(utc, BranchTime.ToLocal(utc, zone),
            Math.Max(0, service.CapacityPerSlot - booked.GetValueOrDefault(utc) - offGrid(utc)))).ToList();
    }

    /// <summary>
    /// Places a slot starting at a given time loses to bookings that overlap it but started elsewhere: bookings kept through a
    /// change of slot length or hours keep their own start and length (their seat is counted on their own start's row), so the
    /// new grid's slots they overlap are that much fuller. Counted, not peak-overlapped: never overbooks, may under-offer.
    /// Slots of one unchanged grid never overlap, so this is zero for every ordinary booking.
    /// </summary>
    internal static async Task<Func<DateTime, int>> OffGridAsync(TurnoDbContext db, Service service, DateTime first, DateTime last, CancellationToken ct)
    {
        var length = TimeSpan.FromMinutes(service.SlotMinutes);
        var until = last + length;
        var taken = await db.Appointments.AsNoTracking()
            .Where(a => a.ServiceId == service.Id && (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.CheckedIn)
                && a.Start < until && a.End > first)
            .Select(a => new { a.Start, a.End }).ToListAsync(ct);
        return start => taken.Count(a => a.Start != start && a.Start < start + length && a.End > start);
    }
}
