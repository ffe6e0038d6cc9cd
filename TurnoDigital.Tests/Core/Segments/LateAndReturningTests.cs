using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.Segments;

/// <summary>Issue 14 §3: late check-in override, walk-in for a late appointment, no-show reactivation, document type look-ups; fake clock.</summary>
public class LateAndReturningTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    BookingService Bookings => h.Services.GetRequiredService<BookingService>();
    CheckInService CheckIns => h.Services.GetRequiredService<CheckInService>();

    /// <summary>Local Bogotá time (UTC−5) in November 2026, as UTC.</summary>
    static DateTime Local(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    static IntakeInput Person(string doc = "1020304050", DocumentType type = DocumentType.CC) =>
        new(type, doc, "María Pérez", "3001234567", null) { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } };

    /// <summary>A Trámites appointment (check-in tolerance 15 min; the service takes walk-ins too).</summary>
    async Task<AppointmentView> BookAsync(DateTime startUtc, IntakeInput? who = null)
    {
        var s = await h.ServiceAsync("Trámites y certificados");
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, Channel.Web, who ?? Person(), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: true));
    }

    /// <summary>A seeded agent of the demo branch (reactivation checks the actor's branches).</summary>
    async Task<string> AgentAsync()
    {
        await using var db = h.Db();
        return await db.Users.Where(u => u.Email == "agente2@demo.turno").Select(u => u.Id).SingleAsync();
    }

    async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = h.Db();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    [Fact]
    public async Task An_agent_checks_in_a_late_appointment_with_a_reason_that_is_audited()
    {
        var a = await BookAsync(Local(25, 12, 20));
        var onTime = await BookAsync(Local(25, 12, 40), Person("5566778899"));
        h.Clock.SetUtcNow(Local(25, 12, 40)); // 20 minutes late, tolerance 15
        Assert.Equal(CheckInOutcome.TooLate, (await CheckIns.CheckInAsync(a.Id, Channel.InPerson, "agent-1")).Outcome);

        var noReason = await Assert.ThrowsAsync<DomainException>(() => CheckIns.CheckInLateAsync(a.Id, "agent-1", "  "));
        Assert.Contains("motivo", noReason.Message);
        Assert.Empty(await AuditAsync(AuditActions.AppointmentLateCheckIn));
        var notLate = await Assert.ThrowsAsync<DomainException>(() => CheckIns.CheckInLateAsync(onTime.Id, "agent-1", "Llegó tarde"));
        Assert.Contains("dentro de su ventana", notLate.Message);

        var result = await CheckIns.CheckInLateAsync(a.Id, "agent-1", "Trafico en la Septima");
        Assert.Equal(CheckInOutcome.CheckedIn, result.Outcome);
        await using var db = h.Db();
        var ticket = await db.Tickets.SingleAsync(t => t.Code == result.Ticket!.Code);
        Assert.Equal((PriorityClass.Appointment, a.Id), (ticket.Priority, ticket.AppointmentId));
        Assert.Equal(AppointmentStatus.CheckedIn, (await db.Appointments.SingleAsync(x => x.Id == a.Id)).Status);
        var audit = Assert.Single(await AuditAsync(AuditActions.AppointmentLateCheckIn));
        Assert.Equal("agent-1", audit.ActorId);
        Assert.Contains("Trafico en la Septima", audit.Details);
    }

    [Fact]
    public async Task A_late_arrival_the_no_show_sweep_already_marked_is_found_and_checked_in_late_but_not_the_next_day()
    {
        var a = await BookAsync(Local(25, 12, 20));
        var other = await BookAsync(Local(25, 12, 20), Person("5566778899"));
        h.Clock.SetUtcNow(Local(25, 12, 40));
        Assert.Equal(2, await Bookings.MarkNoShowsAsync());

        var found = Assert.Single(await CheckIns.FindTodayAsync(a.BranchId, a.Code));
        Assert.Equal(a.Id, found.Id);
        Assert.Equal(CheckInOutcome.CheckedIn, (await CheckIns.CheckInLateAsync(a.Id, "agent-1", "Se varó el bus")).Outcome);
        await using (var db = h.Db())
            Assert.Equal(AppointmentStatus.CheckedIn, (await db.Appointments.SingleAsync(x => x.Id == a.Id)).Status);

        h.Clock.SetUtcNow(Local(26, 9, 0));
        Assert.Empty(await CheckIns.FindTodayAsync(other.BranchId, other.Code));
        await Assert.ThrowsAsync<DomainException>(() => CheckIns.CheckInLateAsync(other.Id, "agent-1", "Vino al día siguiente"));
        await Assert.ThrowsAsync<DomainException>(() => CheckIns.WalkInForLateAsync(other.Id, Channel.Kiosk));
        await using var check = h.Db();
        Assert.Equal(AppointmentStatus.NoShow, (await check.Appointments.SingleAsync(x => x.Id == other.Id)).Status);
    }

    [Fact]
    public async Task A_late_appointment_served_as_a_walk_in_is_linked_to_its_ticket_and_never_marked_no_show()
    {
        var late = await BookAsync(Local(25, 12, 20));
        var missed = await BookAsync(Local(25, 12, 20), Person("5566778899"));
        h.Clock.SetUtcNow(Local(25, 12, 40));
        Assert.True((await CheckIns.CheckInAsync(late.Id, Channel.Kiosk)).WalkInOffered);

        var ticket = await CheckIns.WalkInForLateAsync(late.Id, Channel.Kiosk);

        h.Clock.SetUtcNow(Local(25, 13, 30));
        Assert.Equal(1, await Bookings.MarkNoShowsAsync()); // only the one who never came
        await using var db = h.Db();
        var linked = await db.Appointments.SingleAsync(x => x.Id == late.Id);
        var t = await db.Tickets.SingleAsync(x => x.Code == ticket.Code);
        Assert.Equal((AppointmentStatus.CheckedIn, t.Id), (linked.Status, linked.TicketId));
        Assert.Equal((PriorityClass.Ordinary, Channel.Kiosk, late.Id), (t.Priority, t.Channel, t.AppointmentId));
        Assert.Equal(AppointmentStatus.NoShow, (await db.Appointments.SingleAsync(x => x.Id == missed.Id)).Status);
        await Assert.ThrowsAsync<DomainException>(() => CheckIns.WalkInForLateAsync(late.Id, Channel.Kiosk)); // once
    }

    /// <summary>Three Caja tickets at 10:00, 10:01, 10:02 (the first with WhatsApp); the first is called, recalled and marked absent at 10:05.</summary>
    async Task<(Ticket NoShow, TicketStatusView Second)> NoShowFirstAsync()
    {
        var caja = await h.ServiceAsync("Caja");
        await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3001234567", WhatsAppConsent: true));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await h.IssueAsync("Caja");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.IssueAsync("Caja");
        var v1 = await h.CounterAsync("Ventanilla 1");
        var t = (await h.Queue.CallNextAsync(v1.Id, "agent-1"))!;
        t = await h.Queue.RecallAsync(t.Id, t.Version, "agent-1");
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        return (await h.Queue.NoShowAsync(t.Id, t.Version, "agent-1"), second);
    }

    [Fact]
    public async Task A_no_show_reactivated_within_the_window_goes_back_to_its_place_audited_and_told_on_whatsapp()
    {
        var (noShow, _) = await NoShowFirstAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Single(await h.Queue.ReactivatableAsync(noShow.BranchId));

        var back = await h.Queue.ReactivateAsync(noShow.Id, noShow.Version, await AgentAsync());
        Assert.Equal((TicketStatus.Waiting, 2), (back.Status, back.Segment));
        Assert.Empty(await h.Queue.ReactivatableAsync(noShow.BranchId));

        var next = (await h.Queue.CallNextAsync((await h.CounterAsync("Ventanilla 2")).Id, "agent-2"))!;
        Assert.Equal(noShow.Number, next.Number); // its original place: before A-002
        await using var db = h.Db();
        var audit = Assert.Single(await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.TicketReactivated).ToListAsync());
        Assert.Equal(await AgentAsync(), audit.ActorId);
        var told = await db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == MessageKind.TicketReactivated);
        Assert.Equal($"ticket:{noShow.Code}:s2:reactivated", told.DedupeKey);
        Assert.Contains($"Su turno {noShow.Number} (Caja) fue reactivado", Outbox.Deserialize(told.Content).Text);
        Assert.Equal("turno_ticket_reactivated", TurnoDigital.Core.WhatsApp.MessageTextDefaults.TemplateName(MessageKind.TicketReactivated));
        // Being called again is a new message, not a duplicate of the first call.
        Assert.Contains(await db.Outbox.AsNoTracking().Where(m => m.Kind == MessageKind.TicketCalled).Select(m => m.DedupeKey).ToListAsync(),
            k => k == $"ticket:{noShow.Code}:s2:called:1");
    }

    [Fact]
    public async Task A_service_may_send_reactivated_tickets_to_the_end_of_the_line()
    {
        await using (var db = h.Db())
        {
            var caja = await db.Services.SingleAsync(s => s.Name == "Caja");
            caja.ReactivateAtOriginalPlace = false;
            await db.SaveChangesAsync();
        }
        var (noShow, second) = await NoShowFirstAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Queue.ReactivateAsync(noShow.Id, noShow.Version, await AgentAsync());

        var v2 = (await h.CounterAsync("Ventanilla 2")).Id;
        var next = (await h.Queue.CallNextAsync(v2, "agent-2"))!;
        Assert.Equal(second.Number, next.Number);
        next = await h.Queue.StartAsync(next.Id, next.Version, "agent-2");
        await h.Queue.CompleteAsync(next.Id, next.Version, "agent-2", null);
        next = (await h.Queue.CallNextAsync(v2, "agent-2"))!;
        Assert.Equal("A-003", next.Number); // then the one behind, then the reactivated one
    }

    [Fact]
    public async Task Reactivation_after_the_window_is_refused_in_spanish_and_changes_nothing()
    {
        var (noShow, _) = await NoShowFirstAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Empty(await h.Queue.ReactivatableAsync(noShow.BranchId));
        var agent = await AgentAsync();
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.Queue.ReactivateAsync(noShow.Id, noShow.Version, agent));
        Assert.Equal($"El turno {noShow.Number} ya no puede reactivarse: pasaron más de 30 minutos desde que se marcó como ausente. Entregue un turno nuevo.", ex.Message);
        Assert.Equal(TicketStatus.NoShow, (await h.TicketAsync(noShow.Code)).Status);
        Assert.Empty(await AuditAsync(AuditActions.TicketReactivated));
    }

    [Fact]
    public async Task Only_staff_of_the_tickets_branch_may_reactivate_it()
    {
        var (noShow, _) = await NoShowFirstAsync();
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.Queue.ReactivateAsync(noShow.Id, noShow.Version, "someone-without-branches"));
        Assert.Contains("No tiene permiso", ex.Message);
        Assert.Equal(TicketStatus.NoShow, (await h.TicketAsync(noShow.Code)).Status);
        // A supervisor may (the demo supervisor sees every branch).
        string supervisor;
        await using (var db = h.Db()) supervisor = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
        Assert.Equal(TicketStatus.Waiting, (await h.Queue.ReactivateAsync(noShow.Id, noShow.Version, supervisor)).Status);
    }

    [Fact]
    public async Task Document_look_ups_use_the_type_and_the_number()
    {
        var cc = await BookAsync(Local(25, 10, 40), Person("123456"));
        var ti = await BookAsync(Local(25, 11, 0), Person("123456", DocumentType.TI));
        var branchId = (await h.ServiceAsync("Caja")).BranchId;

        Assert.Equal([cc.Id], (await CheckIns.FindTodayAsync(branchId, "123456", DocumentType.CC)).Select(a => a.Id));
        Assert.Equal([ti.Id], (await CheckIns.FindTodayAsync(branchId, "123.456", DocumentType.TI)).Select(a => a.Id));
        Assert.Empty(await CheckIns.FindTodayAsync(branchId, "123456", DocumentType.CE));
        Assert.Equal([cc.Id], (await CheckIns.FindTodayAsync(branchId, cc.Code, DocumentType.TI)).Select(a => a.Id)); // a code needs no type
    }
}
