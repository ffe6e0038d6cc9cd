using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Organization;

public sealed record CounterView(int Id, int BranchId, string BranchName, string Name, bool IsActive, IReadOnlyList<int> ServiceIds);

/// <summary>Counters (ventanillas) of each branch and the services each one serves.</summary>
public sealed class CounterAdmin(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<CounterView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Counters.AsNoTracking().Include(c => c.Branch).Include(c => c.Services)
            .OrderBy(c => c.BranchId).ThenBy(c => c.Name).ToListAsync(ct);
        return rows.Select(c => new CounterView(c.Id, c.BranchId, c.Branch!.Name, c.Name, c.IsActive, c.Services.Select(s => s.Id).Order().ToList())).ToList();
    }

    public async Task<int> CreateAsync(int branchId, string name, IReadOnlyCollection<int> serviceIds, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Branches.AnyAsync(b => b.Id == branchId, ct)) throw new DomainException("Branch.NotFound");
        var counter = new Counter { BranchId = branchId };
        await ApplyAsync(db, counter, name, true, serviceIds, ct);
        db.Counters.Add(counter);
        // The id exists only after the insert: one transaction keeps the counter and its entry together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, Now, actorId, null, AuditActions.CounterCreated, "Counter", counter.Id, branchId, new { counter.Name, services = serviceIds.Order() });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return counter.Id;
    }

    public async Task UpdateAsync(int counterId, string name, bool isActive, IReadOnlyCollection<int> serviceIds, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counter = await db.Counters.Include(c => c.Services).FirstOrDefaultAsync(c => c.Id == counterId, ct) ?? throw new DomainException("Counter.NotFound");
        var before = new { counter.Name, counter.IsActive, services = counter.Services.Select(s => s.Id).Order().ToList() };
        await ApplyAsync(db, counter, name, isActive, serviceIds, ct);
        AuditLog.Add(db, Now, actorId, null, AuditActions.CounterUpdated, "Counter", counter.Id, counter.BranchId,
            new { before, after = new { counter.Name, counter.IsActive, services = serviceIds.Order() } });
        await db.SaveChangesAsync(ct);
    }

    static async Task ApplyAsync(TurnoDbContext db, Counter counter, string name, bool isActive, IReadOnlyCollection<int> serviceIds, CancellationToken ct)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > Counter.NameMax) throw new DomainException("Common.NameRequired", Counter.NameMax);
        var lower = name.ToLower();
        if (await db.Counters.AnyAsync(c => c.BranchId == counter.BranchId && c.Id != counter.Id && c.Name.ToLower() == lower, ct))
            throw new DomainException("Counter.NameTaken", name);
        var services = await db.Services.Where(s => serviceIds.Contains(s.Id) && s.BranchId == counter.BranchId).ToListAsync(ct);
        if (services.Count != serviceIds.Distinct().Count()) throw new DomainException("Counter.ServiceNotAtBranch");
        if (services.Count == 0) throw new DomainException("Counter.ServiceRequired");
        (counter.Name, counter.IsActive) = (name, isActive);
        counter.Services.Clear();
        counter.Services.AddRange(services);
    }
}
