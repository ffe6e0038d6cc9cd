using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>An admin creates branches and services on an empty installation: same rules as an update, audited, seen at once.</summary>
public class OrganizationCreateTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();

    async Task<int> CountAsync<T>() where T : class
    {
        await using var db = h.Db();
        return await db.Set<T>().CountAsync();
    }

    [Fact]
    public async Task A_new_branch_opens_weekdays_eight_to_five_observes_holidays_is_audited_and_cached_at_once()
    {
        var cache = h.Services.GetRequiredService<OrganizationCache>();
        await h.IssueAsync("Caja"); // the configuration is cached now
        h.Notifier.Events.Clear();

        var id = await Admin.CreateBranchAsync(" Sede Norte ", "America/Bogota", " Calle 100 # 15-20 ", "admin-1");

        var branch = (await Admin.BranchAsync(id))!;
        Assert.Equal(("Sede Norte", "America/Bogota", "Calle 100 # 15-20"), (branch.Name, branch.TimeZoneId, branch.Address));
        Assert.True(branch.ObservesNationalHolidays);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            branch.Hours.Select(x => x.Day).Order());
        Assert.All(branch.Hours, x => Assert.Equal((480, 1020), (x.OpensAtMinute, x.ClosesAtMinute)));
        Assert.Equal((Branch.DefaultMessagesFrom, Branch.DefaultMessagesTo), (branch.MessagesFromMinute, branch.MessagesToMinute));

        await using var db = h.Db();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.BranchCreated);
        Assert.Equal(("admin-1", "Branch", id.ToString(), id), (audit.ActorId, audit.Entity, audit.EntityId, audit.BranchId));
        Assert.Contains("Sede Norte", audit.Details);

        Assert.Contains(h.Notifier.Events, e => e.Kind == QueueEventKind.ConfigurationChanged && e.BranchId == QueueEvent.Organization);
        Assert.True((await cache.GetAsync()).Branches.ContainsKey(id));
        Assert.Contains(await h.Queries.GetBranchesAsync(), b => b.Id == id);
    }

    [Theory]
    [InlineData("", "America/Bogota", null, "Branch.NameRequired")]
    [InlineData("   ", "America/Bogota", null, "Branch.NameRequired")]
    [InlineData("long-name", "America/Bogota", null, "Branch.NameRequired")]
    [InlineData("Sede Sur", "Mars/Olympus", null, "Branch.BadTimeZone")]
    [InlineData("Sede Sur", "", null, "Branch.BadTimeZone")]
    [InlineData("Sede Sur", "America/Bogota", "long-address", "Branch.AddressTooLong")]
    [InlineData(" Sede Centro ", "America/Bogota", null, "Branch.NameTaken")]
    public async Task A_new_branch_is_checked_like_an_update_and_nothing_is_saved_when_it_fails(string name, string zone, string? address, string code)
    {
        name = name == "long-name" ? new string('x', Branch.NameMax + 1) : name;
        address = address == "long-address" ? new string('x', Branch.AddressMax + 1) : address;
        var audits = await CountAsync<AuditEntry>();

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.CreateBranchAsync(name, zone, address, "admin-1"));

        Assert.Equal(code, ex.Code);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.Equal(1, await CountAsync<Branch>());
        Assert.Equal(audits, await CountAsync<AuditEntry>());
    }

    [Fact]
    public async Task A_new_service_is_walk_in_with_the_model_defaults_audited_and_issued_at_once()
    {
        var branchId = await Admin.CreateBranchAsync("Sede Norte", "America/Bogota", null, "admin-1");
        await h.IssueAsync("Caja"); // cached with the new branch, before its service exists

        var id = await Admin.CreateServiceAsync(branchId, " Pagos ", " p ", actorId: "admin-1");

        await using var db = h.Db();
        var service = await db.Services.AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.Equal((branchId, "Pagos", "P", ServiceMode.WalkIn, true), (service.BranchId, service.Name, service.Prefix, service.Mode, service.IsActive));
        var defaults = new Service();
        Assert.Equal((defaults.DefaultServiceMinutes, defaults.TargetWaitMinutes, defaults.SlotMinutes, defaults.AllowsRemoteTickets),
            (service.DefaultServiceMinutes, service.TargetWaitMinutes, service.SlotMinutes, service.AllowsRemoteTickets));
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.ServiceCreated);
        Assert.Equal(("admin-1", "Service", id.ToString(), branchId), (audit.ActorId, audit.Entity, audit.EntityId, audit.BranchId));
        Assert.Contains("WalkIn", audit.Details);

        var ticket = await h.IssueAsync("Pagos"); // Wednesday 10:00: the new branch is open
        Assert.Equal("P-001", ticket.Number);
        Assert.Contains(await h.Queries.GetWalkInLinesAsync(branchId, onlyWhenOpen: true), l => l.Id == id);
    }

    [Fact]
    public async Task A_schedulable_service_may_be_created_and_a_prefix_is_free_in_another_branch()
    {
        var branchId = await Admin.CreateBranchAsync("Sede Norte", "America/Bogota", null);
        var id = await Admin.CreateServiceAsync(branchId, "Caja", "A", ServiceMode.Schedulable); // Sede Centro's Caja is "A" too
        await using var db = h.Db();
        Assert.Equal(ServiceMode.Schedulable, (await db.Services.SingleAsync(s => s.Id == id)).Mode);
    }

    [Theory]
    [InlineData("", "P", ServiceMode.WalkIn, "Validation.Errors", "nombre es obligatorio")]
    [InlineData("Pagos", "", ServiceMode.WalkIn, "Validation.Errors", "prefijo")]
    [InlineData("Pagos", "ABCD", ServiceMode.WalkIn, "Validation.Errors", "prefijo")]
    [InlineData("Pagos", "P1", ServiceMode.WalkIn, "Validation.Errors", "prefijo")]
    [InlineData("Pagos", "Ñ", ServiceMode.WalkIn, "Validation.Errors", "prefijo")]
    [InlineData("Pagos", "P", (ServiceMode)9, "Validation.Errors", "modalidad")]
    [InlineData("Pagos", "b", ServiceMode.WalkIn, "Service.PrefixTaken", "prefijo B")] // Información's
    public async Task A_new_service_is_checked_like_an_update_and_nothing_is_saved_when_it_fails(string name, string prefix, ServiceMode mode, string code, string text)
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        var (services, audits) = (await CountAsync<Service>(), await CountAsync<AuditEntry>());

        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.CreateServiceAsync(branchId, name, prefix, mode, "admin-1"));

        Assert.Equal(code, ex.Code);
        Assert.Contains(text, ex.Message);
        Assert.Equal(services, await CountAsync<Service>());
        Assert.Equal(audits, await CountAsync<AuditEntry>());
    }

    [Fact]
    public async Task A_service_needs_an_existing_branch()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.CreateServiceAsync(9999, "Pagos", "P"));
        Assert.Equal("Branch.NotFound", ex.Code);
        Assert.Equal("La sede no existe.", ex.Message);
    }
}
