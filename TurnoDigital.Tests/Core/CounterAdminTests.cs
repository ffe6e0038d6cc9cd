using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core;

public class CounterAdminTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    CounterAdmin Counters => h.Services.GetRequiredService<CounterAdmin>();

    async Task<int> AuditCountAsync(string action)
    {
        await using var db = h.Db();
        return await db.AuditEntries.CountAsync(e => e.Action == action);
    }

    [Fact]
    public async Task Create_rename_deactivate_and_choose_services_with_audit()
    {
        var caja = await h.ServiceAsync("Caja");
        var info = await h.ServiceAsync("Información");
        var id = await Counters.CreateAsync(caja.BranchId, " Ventanilla 4 ", [caja.Id], "admin-1");
        var created = (await Counters.ListAsync()).Single(c => c.Id == id);
        Assert.Equal(("Ventanilla 4", true), (created.Name, created.IsActive));
        Assert.Equal([caja.Id], created.ServiceIds);

        await Counters.UpdateAsync(id, "Módulo 4", false, [caja.Id, info.Id], "admin-1");
        var updated = await h.CounterAsync("Módulo 4");
        Assert.False(updated.IsActive);
        Assert.Equal([caja.Id, info.Id], updated.Services.Select(s => s.Id).Order());

        await using var db = h.Db();
        var entries = await db.AuditEntries.Where(e => e.Entity == "Counter" && e.EntityId == id.ToString()).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditActions.CounterCreated, AuditActions.CounterUpdated], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("admin-1", e.ActorId));
    }

    [Fact]
    public async Task Names_are_unique_per_branch_and_services_required()
    {
        var caja = await h.ServiceAsync("Caja");
        var ex = await Assert.ThrowsAsync<DomainException>(() => Counters.CreateAsync(caja.BranchId, "ventanilla 1", [caja.Id], "admin-1"));
        Assert.Contains("Ya existe una ventanilla", ex.Message);
        await Assert.ThrowsAsync<DomainException>(() => Counters.CreateAsync(caja.BranchId, "Nueva", [], "admin-1"));
        await Assert.ThrowsAsync<DomainException>(() => Counters.CreateAsync(caja.BranchId, "  ", [caja.Id], "admin-1"));
        var v2 = await h.CounterAsync("Ventanilla 2");
        await Assert.ThrowsAsync<DomainException>(() => Counters.UpdateAsync(v2.Id, "Ventanilla 1", true, [caja.Id], "admin-1"));
        Assert.Equal(0, await AuditCountAsync(AuditActions.CounterCreated) + await AuditCountAsync(AuditActions.CounterUpdated));
        // Renaming to its own name (other case) is allowed.
        await Counters.UpdateAsync(v2.Id, "VENTANILLA 2", true, [caja.Id], "admin-1");
        Assert.Equal(1, await AuditCountAsync(AuditActions.CounterUpdated));
    }
}
