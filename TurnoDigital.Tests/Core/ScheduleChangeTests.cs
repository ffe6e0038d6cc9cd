using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Closures and changed hours with existing bookings: what the admin sees first, keep or cancel, notices, call-backs, capacity.</summary>
public class ScheduleChangeTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    BookingService Bookings => h.Services.GetRequiredService<BookingService>();
    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();
    AvailabilityService Availability => h.Services.GetRequiredService<AvailabilityService>();

    /// <summary>Local Bogotá time (UTC−5) in November 2026, as UTC. The clock starts on Wednesday the 25th at 10:00.</summary>
    static DateTime Local(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    async Task<AppointmentView> BookAsync(DateTime startUtc, string doc, string phone, bool consent, string name = "María Pérez")
    {
        var s = await h.ServiceAsync("Asesoría de créditos");
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, Channel.Web,
            new IntakeInput(DocumentType.CC, doc, name, phone, "persona@example.co"), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: consent));
    }

    async Task<Appointment> AppointmentAsync(string code)
    {
        await using var db = h.Db();
        return await db.Appointments.AsNoTracking().SingleAsync(a => a.Code == code);
    }

    async Task<List<OutboxMessage>> NoticesAsync()
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == MessageKind.CancelledByBranch).OrderBy(m => m.Id).ToListAsync();
    }

    async Task<List<AuditEntry>> DecisionsAsync()
    {
        await using var db = h.Db();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.BookingsDecided).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task A_closed_date_lists_that_days_bookings_and_cancelling_tells_consenting_people_and_lists_the_others_to_call()
    {
        var told = await BookAsync(Local(27, 9), "111111", "3001111111", consent: true);
        var toCall = await BookAsync(Local(27, 10), "222222", "3002222222", consent: false, name: "Luis Gómez");
        var otherDay = await BookAsync(Local(28, 9), "333333", "3003333333", consent: true);
        var branchId = told.BranchId;

        var affected = await Admin.PreviewClosedDateAsync(branchId, new DateOnly(2026, 11, 27));
        Assert.Equal([(told.Code, true), (toCall.Code, false)], affected.Select(a => (a.Code, a.Notified)));
        Assert.Equal(new DateTime(2026, 11, 27, 9, 0, 0), affected[0].StartLocal);
        Assert.Equal("Asesoría de créditos", affected[0].ServiceName);

        await Admin.AddClosedDateAsync(branchId, new DateOnly(2026, 11, 27), "Inventario", BookingDecision.Cancel, "admin-1");

        foreach (var code in new[] { told.Code, toCall.Code })
        {
            var a = await AppointmentAsync(code);
            Assert.Equal((AppointmentStatus.Cancelled, AppointmentCancelReason.Branch), (a.Status, a.CancelReason));
            Assert.True((await Bookings.GetAsync(code))!.CancelledByBranch);
        }
        Assert.Equal(AppointmentStatus.Booked, (await AppointmentAsync(otherDay.Code)).Status);

        // The consenting person's notice, with the link to pick a new time; nobody else's.
        var notice = Assert.Single(await NoticesAsync());
        Assert.Equal(("573001111111", told.Id, OutboxStatus.Pending), (notice.To, notice.AppointmentId, notice.Status));
        var text = Outbox.Deserialize(notice.Content).Text;
        Assert.Contains("cancelada por la sede", text);
        Assert.Contains($"/cita/{told.Code}", text);
        Assert.Equal("turno_cancelled_by_branch", MessageTextDefaults.TemplateName(MessageKind.CancelledByBranch));

        // The call-back list holds the other one, its formula-like name made harmless.
        var list = await Admin.CallBacksAsync(branchId, "admin-1");
        Assert.Equal([toCall.Code], list.Select(c => c.Code));
        var csv = Encoding.UTF8.GetString(ScheduleChangeBookings.CallBackCsv(list));
        Assert.Contains(toCall.Code, csv);
        Assert.DoesNotContain(told.Code, csv);
        Assert.Contains("Luis Gómez", csv);
        Assert.Contains("+57 3002222222", csv);
        // A cell a spreadsheet would run as a formula (a service name is free text) is written as text.
        var injected = Encoding.UTF8.GetString(ScheduleChangeBookings.CallBackCsv(
            [list[0] with { Service = "=HYPERLINK(\"http://x\")", Name = "@SUM(1)" }]));
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", injected);
        Assert.Contains(";'@SUM(1);", injected);

        // Never no-shows, whatever time passes; and the seats are free again.
        h.Clock.SetUtcNow(Local(28, 8));
        Assert.Equal(0, await Bookings.MarkNoShowsAsync());
        Assert.Equal(AppointmentStatus.Cancelled, (await AppointmentAsync(told.Code)).Status);

        var decision = Assert.Single(await DecisionsAsync());
        Assert.Equal("admin-1", decision.ActorId);
        Assert.Contains("\"decision\":\"Cancel\"", decision.Details);
        Assert.Contains(toCall.Code, decision.Details);
        Assert.Contains("\"callBack\":[\"" + toCall.Code + "\"]", decision.Details);
    }

    [Fact]
    public async Task The_person_picks_a_new_time_from_the_link_and_the_pending_notice_is_void()
    {
        var told = await BookAsync(Local(27, 9), "111111", "3001111111", consent: true);
        await Admin.AddClosedDateAsync(told.BranchId, new DateOnly(2026, 11, 27), null, BookingDecision.Cancel, "admin-1");

        var moved = await Bookings.RescheduleAsync(told.Code, Local(28, 11), Channel.Web);

        Assert.Equal((AppointmentStatus.Booked, Local(28, 11)), (moved.Status, moved.StartUtc));
        Assert.False(moved.CancelledByBranch);
        Assert.Equal(OutboxStatus.Expired, Assert.Single(await NoticesAsync()).Status);
        Assert.Empty(await Admin.CallBacksAsync(told.BranchId, "admin-1"));
        var slot = (await Availability.GetSlotsAsync(told.BranchId, told.ServiceId, new DateOnly(2026, 11, 28))).Single(s => s.StartUtc == Local(28, 11));
        Assert.Equal(0, slot.Free);
    }

    [Fact]
    public async Task Keeping_the_bookings_leaves_them_booked_unnotified_and_audited()
    {
        var kept = await BookAsync(Local(27, 9), "111111", "3001111111", consent: true);
        await Admin.AddClosedDateAsync(kept.BranchId, new DateOnly(2026, 11, 27), null, BookingDecision.Keep, "admin-1");

        Assert.Equal(AppointmentStatus.Booked, (await AppointmentAsync(kept.Code)).Status);
        Assert.Empty(await NoticesAsync());
        Assert.Contains("\"decision\":\"Keep\"", Assert.Single(await DecisionsAsync()).Details);
    }

    [Fact]
    public async Task Shorter_weekly_hours_affect_only_the_bookings_they_leave_out()
    {
        var morning = await BookAsync(Local(27, 9), "111111", "3001111111", consent: true);
        var afternoon = await BookAsync(Local(27, 15), "222222", "3002222222", consent: true);
        var hours = Branch.AllWeek(7 * 60, 12 * 60);

        var affected = await Admin.PreviewHoursAsync(morning.BranchId, hours, observesHolidays: false);
        Assert.Equal([afternoon.Code], affected.Select(a => a.Code));

        await Admin.SetHoursAsync(morning.BranchId, hours, false, BookingDecision.Cancel, "admin-1");
        Assert.Equal(AppointmentStatus.Booked, (await AppointmentAsync(morning.Code)).Status);
        Assert.True((await AppointmentAsync(afternoon.Code)).CancelledByBranch);
        Assert.Equal(afternoon.Id, Assert.Single(await NoticesAsync()).AppointmentId);
    }

    [Fact]
    public async Task A_longer_slot_lists_the_bookings_off_the_new_grid_and_kept_ones_still_hold_their_seats()
    {
        // Asesoría: 30-minute slots from 07:00, one place each.
        var nine = await BookAsync(Local(27, 9), "111111", "3001111111", consent: true);
        var nineThirty = await BookAsync(Local(27, 9, 30), "222222", "3002222222", consent: true);
        var service = await h.ServiceAsync("Asesoría de créditos");
        var settings = ServiceSettings.From(service);
        settings.SlotMinutes = 45; // the grid becomes 07:00, 07:45, 08:30, 09:15, 10:00…

        Assert.Equal([nine.Code, nineThirty.Code], (await Admin.PreviewServiceAsync(settings)).Select(a => a.Code));
        await Admin.UpdateServiceAsync(settings, BookingDecision.Keep, "admin-1");

        Assert.All(new[] { nine, nineThirty }, b => Assert.Equal(AppointmentStatus.Booked, AppointmentAsync(b.Code).Result.Status));
        var slots = (await Availability.GetSlotsAsync(service.BranchId, service.Id, new DateOnly(2026, 11, 27))).ToDictionary(s => s.StartLocal.TimeOfDay);
        Assert.Equal(0, slots[new TimeSpan(8, 30, 0)].Free);  // overlaps 09:00–09:30
        Assert.Equal(0, slots[new TimeSpan(9, 15, 0)].Free);  // overlaps both kept bookings
        Assert.Equal(1, slots[new TimeSpan(10, 0, 0)].Free);
        await Assert.ThrowsAsync<SlotTakenException>(() => BookAsync(Local(27, 9, 15), "333333", "3003333333", consent: false));
        var ten = await BookAsync(Local(27, 10), "444444", "3004444444", consent: false);
        Assert.Equal(Local(27, 10), ten.StartUtc);

        // An unrelated change does not list them again.
        settings.CapacityPerSlot = 2;
        Assert.Empty(await Admin.PreviewServiceAsync(settings));
    }
}
