using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Organization;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

public class AuditTests : IAsyncLifetime
{
    CoreHarness h = default!;
    long baseline;
    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        await using var db = h.Db();
        baseline = await db.AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0; // the demo seed may audit its own API key
    }
    public async Task DisposeAsync() => await h.DisposeAsync();
    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();

    async Task<List<AuditEntry>> NewEntriesAsync()
    {
        await using var db = h.Db();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Id > baseline).OrderBy(e => e.Id).ToListAsync();
    }

    async Task<AuditEntry> SingleNewAsync(string action, string entity, string? actor, object entityId)
    {
        var entries = await NewEntriesAsync();
        var e = Assert.Single(entries);
        Assert.Equal((action, entity, actor, entityId.ToString()), (e.Action, e.Entity, e.ActorId, e.EntityId));
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime, e.At);
        baseline = e.Id;
        return e;
    }

    [Fact]
    public async Task Service_update_records_only_the_changed_settings()
    {
        var caja = await h.ServiceAsync("Caja");
        var settings = ServiceSettings.From(caja);
        settings.TargetWaitMinutes = 25;
        await Admin.UpdateServiceAsync(settings, "admin-1");
        var e = await SingleNewAsync(AuditActions.ServiceUpdated, "Service", "admin-1", caja.Id);
        Assert.Equal(caja.BranchId, e.BranchId);
        Assert.Contains("TargetWaitMinutes", e.Details);
        Assert.DoesNotContain("SlotMinutes", e.Details);

        settings.Prefix = "B"; // taken by Información
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateServiceAsync(settings, "admin-1"));
        Assert.Empty(await NewEntriesAsync());
    }

    [Fact]
    public async Task Intake_hours_and_closed_dates_are_audited()
    {
        var asesoria = await h.ServiceAsync("Asesoría de créditos");
        await Assert.ThrowsAsync<DomainException>(() => Admin.SetIntakeFieldsAsync(asesoria.Id, [], "admin-1"));
        Assert.Empty(await NewEntriesAsync());
        await Admin.SetIntakeFieldsAsync(asesoria.Id,
            [new IntakeField { Key = "documento", Kind = IntakeFieldKind.Document, Label = "Documento", Required = true, MaxLength = 20 }], "admin-1");
        await SingleNewAsync(AuditActions.IntakeReplaced, "Service", "admin-1", asesoria.Id);

        var branchId = asesoria.BranchId;
        await Assert.ThrowsAsync<DomainException>(() => Admin.SetHoursAsync(branchId,
            [new OpeningHours { Day = DayOfWeek.Monday, OpensAtMinute = 600, ClosesAtMinute = 500 }], true, "admin-1"));
        Assert.Empty(await NewEntriesAsync());
        await Admin.SetHoursAsync(branchId, Branch.AllWeek(480, 1020), true, "admin-1");
        await SingleNewAsync(AuditActions.HoursSet, "Branch", "admin-1", branchId);

        await Admin.AddClosedDateAsync(branchId, new DateOnly(2026, 12, 24), "Inventario", "admin-1");
        await SingleNewAsync(AuditActions.ClosedDateAdded, "Branch", "admin-1", branchId);
        await Assert.ThrowsAsync<DomainException>(() => Admin.AddClosedDateAsync(branchId, new DateOnly(2026, 12, 24), null, "admin-1"));
        Assert.Empty(await NewEntriesAsync());
        int closedId;
        await using (var db = h.Db()) closedId = await db.ClosedDates.Where(c => c.Date == new DateOnly(2026, 12, 24)).Select(c => c.Id).SingleAsync();
        await Admin.RemoveClosedDateAsync(closedId, "admin-2");
        await SingleNewAsync(AuditActions.ClosedDateRemoved, "Branch", "admin-2", branchId);
    }

    [Fact]
    public async Task Device_lifecycle_is_audited_and_pairing_is_by_the_device()
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        await Assert.ThrowsAsync<DomainException>(() => h.Devices.RegisterAsync(branchId, DeviceKind.Kiosk, "  ", "admin-1"));
        Assert.Empty(await NewEntriesAsync());
        var (id, _) = await h.Devices.RegisterAsync(branchId, DeviceKind.Kiosk, "Kiosco lobby", "admin-1");
        await SingleNewAsync(AuditActions.DeviceRegistered, "Device", "admin-1", id);
        var code = await h.Devices.NewCodeAsync(id, "admin-1");
        var e = await SingleNewAsync(AuditActions.DeviceCodeIssued, "Device", "admin-1", id);
        Assert.DoesNotContain(code, e.Details ?? "");
        Assert.NotNull(await h.Devices.PairAsync(code, DeviceKind.Kiosk));
        await SingleNewAsync(AuditActions.DevicePaired, "Device", $"device:{id}", id);
        Assert.Null(await h.Devices.PairAsync("WRONG-CODE", DeviceKind.Kiosk));
        Assert.Empty(await NewEntriesAsync());
        await h.Devices.RevokeAsync(id, "admin-1");
        await SingleNewAsync(AuditActions.DeviceRevoked, "Device", "admin-1", id);
        await Assert.ThrowsAsync<DomainException>(() => h.Devices.RevokeAsync(999_999, "admin-1"));
        Assert.Empty(await NewEntriesAsync());
    }

    [Fact]
    public async Task Api_key_creation_never_records_the_key()
    {
        var keys = h.Services.GetRequiredService<ApiKeyService>();
        await Assert.ThrowsAsync<DomainException>(() => keys.CreateAsync("Sin permisos", [], actorId: "admin-1"));
        Assert.Empty(await NewEntriesAsync());
        var (id, key) = await keys.CreateAsync("Portal", [ApiScopes.Appointments], actorId: "admin-1");
        var e = await SingleNewAsync(AuditActions.ApiKeyCreated, "ApiKey", "admin-1", id);
        Assert.DoesNotContain(key, e.Details);
        await keys.RevokeAsync(id, "admin-1");
        await SingleNewAsync(AuditActions.ApiKeyRevoked, "ApiKey", "admin-1", id);
    }

    [Fact]
    public async Task Transfer_and_no_show_are_audited_with_the_agent()
    {
        await h.IssueAsync("Caja");
        await h.IssueAsync("Caja");
        var counter = await h.CounterAsync("Ventanilla 1");
        var info = await h.ServiceAsync("Información");
        var t = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
        Assert.Empty(await NewEntriesAsync()); // calling is routine, not audited

        await Assert.ThrowsAsync<DomainException>(() => h.Queue.TransferAsync(t.Id, t.Version, "agent-1", info.Id, 999_999));
        Assert.Empty(await NewEntriesAsync());
        t = await h.Queue.TransferAsync(t.Id, t.Version, "agent-1", info.Id, null);
        var e = await SingleNewAsync(AuditActions.TicketTransferred, "Ticket", "agent-1", t.Id);
        Assert.Contains("toServiceId", e.Details);

        var next = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
        await Assert.ThrowsAsync<DomainException>(() => h.Queue.NoShowAsync(next.Id, next.Version, "agent-1")); // must recall first
        Assert.Empty(await NewEntriesAsync());
        next = await h.Queue.RecallAsync(next.Id, next.Version, "agent-1");
        await h.Queue.NoShowAsync(next.Id, next.Version, "agent-1");
        await SingleNewAsync(AuditActions.TicketNoShow, "Ticket", "agent-1", next.Id);
    }

    [Fact]
    public async Task Only_a_manual_check_in_is_audited()
    {
        var s = await h.ServiceAsync("Asesoría de créditos");
        var bookings = h.Services.GetRequiredService<BookingService>();
        var checkIns = h.Services.GetRequiredService<CheckInService>();
        var start = new DateTime(2026, 11, 25, 16, 0, 0, DateTimeKind.Utc); // 11:00 Bogotá
        AppointmentView Book(string doc, DateTime at) => bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, at, Channel.Web,
            new IntakeInput(DocumentType.CC, doc, "María Pérez", "3001234567", "maria@example.co"), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: true)).GetAwaiter().GetResult();
        var own = Book("1020304050", start);
        var manual = Book("1020304051", start.AddMinutes(30));
        baseline = (await NewEntriesAsync()).LastOrDefault()?.Id ?? baseline;
        h.Clock.SetUtcNow(start.AddMinutes(-20));

        await checkIns.CheckInAsync(own.Id, Channel.Kiosk);
        Assert.Empty(await NewEntriesAsync());
        h.Clock.SetUtcNow(start.AddMinutes(10));
        await checkIns.CheckInAsync(manual.Id, Channel.InPerson, "agent-7");
        await SingleNewAsync(AuditActions.AppointmentCheckedIn, "Appointment", "agent-7", manual.Id);
    }

    [Fact]
    public async Task Settings_accept_only_the_legal_ranges_and_are_audited()
    {
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateSettingsAsync(65, 730, "admin-1"));
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateSettingsAsync(62, 29, "admin-1"));
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateSettingsAsync(62, 3651, "admin-1"));
        Assert.Empty(await NewEntriesAsync());
        await Admin.UpdateSettingsAsync(62, 365, "admin-1");
        var e = await SingleNewAsync(AuditActions.SettingsUpdated, "OrganizationSettings", "admin-1", 1);
        Assert.Contains("365", e.Details);
        var s = await Admin.SettingsAsync();
        Assert.Equal((62, 365), (s.OlderAdultAge, s.RetentionDays));
    }
}
