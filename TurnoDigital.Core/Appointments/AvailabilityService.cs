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
        return candidates.Select(utc => new SlotView(utc, BranchTime.ToLocal(utc, zone),
            Math.Max(0, service.CapacityPerSlot - booked.GetValueOrDefault(utc)))).ToList();
    }
}
