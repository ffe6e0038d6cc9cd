using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core;

public class OrganizationAdminTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();

    [Fact]
    public async Task Turning_a_walk_in_service_schedulable_takes_effect_at_once()
    {
        var caja = await h.ServiceAsync("Caja");
        var availability = h.Services.GetRequiredService<AvailabilityService>();
        Assert.Empty(await availability.GetSlotsAsync(caja.BranchId, caja.Id, new DateOnly(2026, 11, 26)));
        var settings = ServiceSettings.From(caja);
        settings.Mode = ServiceMode.Both;
        await Admin.UpdateServiceAsync(settings);
        Assert.NotEmpty(await availability.GetSlotsAsync(caja.BranchId, caja.Id, new DateOnly(2026, 11, 26)));
        Assert.NotEmpty(await h.Queries.GetWalkInLinesAsync(caja.BranchId, onlyWhenOpen: true));
    }

    [Fact]
    public async Task Service_settings_are_validated_with_Spanish_messages()
    {
        var caja = ServiceSettings.From(await h.ServiceAsync("Caja"));
        caja.Prefix = "b";
        caja.SlotMinutes = 0;
        var errors = caja.Validate();
        Assert.Contains("letras mayúsculas", errors[nameof(ServiceSettings.Prefix)]);
        Assert.Contains("entre 5 y 240", errors[nameof(ServiceSettings.SlotMinutes)]);
        caja.Prefix = "B"; // Información's prefix
        caja.SlotMinutes = 20;
        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateServiceAsync(caja));
        Assert.Contains("prefijo B", ex.Message);
    }

    [Fact]
    public async Task Virtual_queue_settings_are_validated_saved_and_audited()
    {
        var info = ServiceSettings.From(await h.ServiceAsync("Información"));
        info.AllowsRemoteTickets = true;
        info.RemoteTicketCap = 0;
        info.RemoteFairnessMinutes = 481;
        var errors = info.Validate();
        Assert.Contains("entre 1 y 500", errors[nameof(ServiceSettings.RemoteTicketCap)]);
        Assert.Contains("entre 0 y 480", errors[nameof(ServiceSettings.RemoteFairnessMinutes)]);
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateServiceAsync(info));

        (info.RemoteTicketCap, info.RemoteFairnessMinutes, info.RemoteArrival) = (500, 0, RemoteArrivalRule.LiveAtOnce);
        await Admin.UpdateServiceAsync(info, "admin-1");
        var saved = await h.ServiceAsync("Información");
        Assert.True(saved.AllowsRemoteTickets);
        Assert.Equal((500, 0, RemoteArrivalRule.LiveAtOnce), (saved.RemoteTicketCap, saved.RemoteFairnessMinutes, saved.RemoteArrival));
        await using var db = h.Db();
        var audit = await db.AuditEntries.OrderBy(a => a.Id).LastAsync(a => a.Action == AuditActions.ServiceUpdated);
        Assert.Contains("RemoteTicketCap", audit.Details);
        Assert.Contains("AllowsRemoteTickets", audit.Details);
    }

    [Fact]
    public async Task Intake_definition_keeps_the_document_and_rejects_bad_fields()
    {
        var asesoria = await h.ServiceAsync("Asesoría de créditos");
        await Assert.ThrowsAsync<DomainException>(() => Admin.SetIntakeFieldsAsync(asesoria.Id,
            [new IntakeField { Key = "fullName", Kind = IntakeFieldKind.FullName, Label = "Nombre", Required = true }]));
        await Assert.ThrowsAsync<DomainException>(() => Admin.SetIntakeFieldsAsync(asesoria.Id,
            [new IntakeField { Key = "document", Kind = IntakeFieldKind.Document, Label = "Documento", Required = true },
             new IntakeField { Key = "motivo", Kind = IntakeFieldKind.Choice, Label = "Motivo", Options = "solo una" }]));
        await Admin.SetIntakeFieldsAsync(asesoria.Id,
            [new IntakeField { Key = "document", Kind = IntakeFieldKind.Document, Label = "Documento", Required = true },
             new IntakeField { Key = "motivo", Kind = IntakeFieldKind.Choice, Label = "Motivo", Required = true, Options = "Crédito | Tarjeta" }]);
        await using var db = h.Db();
        var fields = await db.IntakeFields.Where(f => f.ServiceId == asesoria.Id).OrderBy(f => f.Order).ToListAsync();
        Assert.Equal(["document", "motivo"], fields.Select(f => f.Key));
        Assert.Equal("Crédito|Tarjeta", fields[1].Options);
    }

    [Fact]
    public async Task Hours_may_not_overlap_and_closed_dates_close_the_day()
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        await Assert.ThrowsAsync<DomainException>(() => Admin.SetHoursAsync(branchId,
            [new() { Day = DayOfWeek.Monday, OpensAtMinute = 480, ClosesAtMinute = 720 }, new() { Day = DayOfWeek.Monday, OpensAtMinute = 700, ClosesAtMinute = 900 }], true));
        await Admin.SetHoursAsync(branchId, Branch.AllWeek(480, 1020), observesHolidays: true);
        await Admin.AddClosedDateAsync(branchId, new DateOnly(2026, 11, 25), "Inventario");
        await Assert.ThrowsAsync<DomainException>(() => Admin.AddClosedDateAsync(branchId, new DateOnly(2026, 11, 25), null));
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja")); // today is now closed
        Assert.Contains("cerrada", ex.Message);
        var branch = (await Admin.BranchAsync(branchId))!;
        Assert.True(branch.ObservesNationalHolidays);
        Assert.Equal(7, branch.Hours.Count);
    }

    [Fact]
    public async Task Branch_details_are_validated_and_audited()
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateBranchAsync(branchId, "Sede Norte", "Mars/Olympus", null));
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateBranchAsync(branchId, "", "America/Bogota", null));
        await Admin.UpdateBranchAsync(branchId, " Sede Norte ", "America/Bogota", "Calle 100 # 15-20", "admin-1");
        var branch = (await Admin.BranchAsync(branchId))!;
        Assert.Equal(("Sede Norte", "Calle 100 # 15-20"), (branch.Name, branch.Address));
        await using var db = h.Db();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.BranchUpdated);
        Assert.Equal("admin-1", audit.ActorId);
        Assert.Contains("Sede Centro", audit.Details);
    }
}
