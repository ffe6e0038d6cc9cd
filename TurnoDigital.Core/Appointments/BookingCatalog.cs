using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Appointments;

/// <summary>One branch that offers a bookable service (each branch has its own service row).</summary>
public sealed record BookableBranch(int BranchId, int ServiceId, string BranchName, string? Address, string TimeZoneId);

/// <summary>A service people can book, grouped by name across the branches that offer it.</summary>
public sealed record BookableService(string Name, string? NameEn, IReadOnlyList<BookableBranch> Branches)
{
    public string DisplayName(bool english) => english && !string.IsNullOrWhiteSpace(NameEn) ? NameEn! : Name;
}

/// <summary>Read side for booking screens: which services take appointments, where, and what they ask.</summary>
public sealed class BookingCatalog(IDbContextFactory<TurnoDbContext> dbFactory)
{
    public async Task<IReadOnlyList<BookableService>> GetServicesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Services.AsNoTracking()
            .Where(s => s.IsActive && (s.Mode == ServiceMode.Schedulable || s.Mode == ServiceMode.Both))
            .Select(s => new { s.Id, s.Name, s.NameEn, s.BranchId, BranchName = s.Branch!.Name, s.Branch.Address, s.Branch.TimeZoneId })
            .ToListAsync(ct);
        // Same name in several branches is one choice for the person; the branch comes next.
        return rows.GroupBy(r => r.Name.Trim(), StringComparer.CurrentCultureIgnoreCase)
            .Select(g => new BookableService(g.First().Name, g.First().NameEn,
                g.OrderBy(r => r.BranchName).Select(r => new BookableBranch(r.BranchId, r.Id, r.BranchName, r.Address, r.TimeZoneId)).ToList()))
            .OrderBy(s => s.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The service's intake definition in display order (web booking now, the agent desk later).</summary>
    public async Task<IReadOnlyList<IntakeField>> GetIntakeFieldsAsync(int serviceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.IntakeFields.AsNoTracking()
            .Where(f => f.ServiceId == serviceId).OrderBy(f => f.Order).ToListAsync(ct);
    }

    /// <summary>Several services' definitions in one query: the kiosk loads them with its walk-in lines, so a tap never waits.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<IntakeField>>> GetIntakeFieldsAsync(IReadOnlyCollection<int> serviceIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.IntakeFields.AsNoTracking().Where(f => serviceIds.Contains(f.ServiceId)).OrderBy(f => f.Order).ToListAsync(ct);
        return rows.GroupBy(f => f.ServiceId).ToDictionary(g => g.Key, g => (IReadOnlyList<IntakeField>)g.ToList());
    }
}
