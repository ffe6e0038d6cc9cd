using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>
/// Closing time and the day close (issue 14 §1, §8) on a fake clock. The harness starts on Wednesday 25 November 2026, 10:00 in
/// Bogotá; "with hours" the branch opens 8:00–17:00 every day.
/// </summary>
public class DayCloseTests : IAsyncLifetime
{
    const string Tramites = "Trámites y certificados";
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    DateTime Now => h.Clock.GetUtcNow().UtcDateTime;
    static readonly DateOnly Today = new(2026, 11, 25);

    async Task<TicketStatusView> RemoteAsync(string phone = "3001234567", string document = "111222333")
    {
        var s = await h.ServiceAsync(Tramites);
        var intake = new IntakeInput(DocumentType.CC, document, "Ana María Ríos", phone, null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });
        return await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(s.BranchId, s.Id, Channel.Web, Guid.NewGuid(), phone, true, true, intake));
    }

    async Task<Ticket> CallNextAsync(string counter, string agent) =>
        (await h.Queue.CallNextAsync((await h.CounterAsync(counter)).Id, agent))!;

    async Task<string> UserIdAsync(string email)
    {
        await using var db = h.Db();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    async Task<int> BranchIdAsync()
    {
        await using var db = h.Db();
        return await db.Branches.Select(b => b.Id).SingleAsync();
    }

    async Task<List<OutboxMessage>> OutboxAsync(MessageKind kind)
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == kind).ToListAsync();
    }

    DailyReportJob ReportJob() => ActivatorUtilities.CreateInstance<DailyReportJob>(h.Services, NullLogger<DailyReportJob>.Instance);

    [Fact]
    public async Task At_closing_time_everyone_in_line_is_still_served_and_kiosk_and_remote_issuing_name_the_next_opening()
    {
        await h.OpenEightToFiveAsync();
        await h.IssueAsync("Caja");
        var second = await h.IssueAsync("Caja");
        var called = await CallNextAsync("Ventanilla 1", "agent-1");

        h.Clock.Advance(TimeSpan.FromHours(7)); // 17:00: closed
        Assert.Equal(0, await h.Queue.SweepClosingAsync());
        Assert.Equal(TicketStatus.Called, (await h.TicketAsync(called.Code)).Status);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(second.Code)).Status);

        // The agent holding a called ticket starts and finishes it after closing; the next one in line is still called.
        var started = await h.Queue.StartAsync(called.Id, called.Version, "agent-1");
        await h.Queue.CompleteAsync(started.Id, started.Version, "agent-1", null);
        Assert.Equal(second.Number, (await CallNextAsync("Ventanilla 1", "agent-1")).Number);

        var kiosk = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja"));
        Assert.Equal("La sede está cerrada y no entrega turnos ahora. Vuelve a abrir el jueves 26 de noviembre a las 8:00 a. m.",
            kiosk.MessageFor(CultureInfo.GetCultureInfo("es-CO")));
        Assert.Contains("It opens again on Thursday, November 26 at 8:00", kiosk.MessageFor(CultureInfo.GetCultureInfo("en")));
        var remote = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync());
        Assert.Equal(kiosk.Code, remote.Code);
        Assert.Contains("jueves 26 de noviembre a las 8:00 a. m.", remote.MessageFor(CultureInfo.GetCultureInfo("es-CO")));

        // Before opening the next morning the message names that same morning.
        h.Clock.Advance(TimeSpan.FromHours(14)); // Thursday 7:00
        var early = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja"));
        Assert.Contains("jueves 26 de noviembre a las 8:00 a. m.", early.MessageFor(CultureInfo.GetCultureInfo("es-CO")));
    }

    [Fact]
    public async Task Remote_tickets_not_arrived_by_closing_end_as_not_arrived_with_a_whatsapp_message_and_are_not_walk_outs()
    {
        await h.OpenEightToFiveAsync();
        var remote = await RemoteAsync();
        var arrived = await RemoteAsync("3109998877", "444555666");
        await h.Queue.ConfirmArrivalAsync(arrived.BranchId, arrived.Code, Channel.Kiosk);

        h.Clock.Advance(TimeSpan.FromHours(6)); // 16:00, still open
        Assert.Equal(0, await h.Queue.SweepClosingAsync());
        h.Clock.Advance(TimeSpan.FromHours(1)); // 17:00
        Assert.Equal(1, await h.Queue.SweepClosingAsync());
        Assert.Equal(0, await h.Queue.SweepClosingAsync()); // idempotent

        Assert.Equal(TicketStatus.NotArrived, (await h.TicketAsync(remote.Code)).Status);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(arrived.Code)).Status); // in line: served after closing
        var message = Assert.Single(await OutboxAsync(MessageKind.ClosedNotArrived));
        Assert.Equal((await h.TicketAsync(remote.Code)).Id, message.TicketId);
        Assert.Contains("cerró por hoy", Outbox.Deserialize(message.Content).Text);
        Assert.Contains(remote.Number, Outbox.Deserialize(message.Content).Text);
        Assert.Equal("turno_closed_not_arrived", MessageTextDefaults.TemplateName(MessageKind.ClosedNotArrived));
        Assert.Contains(MessageKind.ClosedNotArrived, MessageTextDefaults.EditableKinds);

        var report = await h.Services.GetRequiredService<ChannelReportService>().ComputeAsync(new ReportFilter(Today, Today, [remote.BranchId], []));
        Assert.Equal(0, report.Total.WalkOuts);
    }

    [Fact]
    public async Task A_supervisor_closes_the_day_after_seeing_who_is_in_line_and_each_ticket_gets_its_outcome()
    {
        var supervisor = await UserIdAsync("supervisor@demo.turno");
        var branchId = await BranchIdAsync();
        var a = await h.IssueAsync("Caja");
        var b = await h.IssueAsync("Caja");
        var c = await h.IssueAsync("Caja");
        var remote = await RemoteAsync();
        var first = await CallNextAsync("Ventanilla 1", "agent-1");
        await h.Queue.StartAsync(first.Id, first.Version, "agent-1");
        await CallNextAsync("Ventanilla 2", "agent-2");

        var preview = await h.Queue.PreviewDayCloseAsync(branchId, supervisor);
        Assert.False(preview.AlreadyClosed);
        Assert.Equal(Today, preview.Day);
        Assert.Equal([(c.Number, TicketStatus.Waiting), (b.Number, TicketStatus.Called), (a.Number, TicketStatus.Serving), (remote.Number, TicketStatus.Remote)],
            preview.Open.Select(o => (o.Number, o.Status)).ToList());
        Assert.All(preview.Open.Take(3), o => Assert.Equal("Caja", o.Service));

        var noReason = await Assert.ThrowsAsync<DomainException>(() => h.Queue.CloseDayAsync(branchId, supervisor, "  "));
        Assert.Equal("DayClose.ReasonRequired", noReason.Code);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(c.Code)).Status); // nothing happened

        h.Clock.Advance(TimeSpan.FromMinutes(30));
        var result = await h.Queue.CloseDayAsync(branchId, supervisor, "Corte de energía en la sede");
        Assert.Equal(new DayCloseResult(Today, Expired: 2, ClosedBySystem: 1, NotArrived: 1), result);

        var servingNow = await h.TicketAsync(a.Code);
        Assert.Equal((TicketStatus.Completed, true, Now), (servingNow.Status, servingNow.ClosedBySystem, servingNow.ClosedAt!.Value));
        Assert.Equal(TicketStatus.Expired, (await h.TicketAsync(b.Code)).Status);
        Assert.Equal(TicketStatus.Expired, (await h.TicketAsync(c.Code)).Status);
        Assert.Equal(TicketStatus.NotArrived, (await h.TicketAsync(remote.Code)).Status);
        Assert.Single(await OutboxAsync(MessageKind.ClosedNotArrived));

        await using (var db = h.Db())
        {
            var closure = await db.DayClosures.SingleAsync();
            Assert.Equal((branchId, Today, supervisor, "Corte de energía en la sede", false, Now),
                (closure.BranchId, closure.Day, closure.ClosedById, closure.Reason, closure.AtMidnight, closure.ClosedAt));
            var audit = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.DayClosed);
            Assert.Equal((supervisor, branchId), (audit.ActorId, audit.BranchId));
            Assert.Contains("Corte de energ", audit.Details);
            Assert.Contains("\"closedBySystem\":1", audit.Details);
            Assert.Equal(1, await db.JourneyEvents.CountAsync(e => e.Kind == JourneyEventKind.ServiceClosedBySystem));
            Assert.Equal(1, await db.JourneyEvents.CountAsync(e => e.Kind == JourneyEventKind.TicketNotArrived));
        }

        // Closed: once, and no more tickets today (the demo branch opens all day, so the next opening is tomorrow's start).
        Assert.Equal("DayClose.AlreadyClosed", (await Assert.ThrowsAsync<DomainException>(() => h.Queue.CloseDayAsync(branchId, supervisor, "otra vez"))).Code);
        Assert.True((await h.Queue.PreviewDayCloseAsync(branchId, supervisor)).AlreadyClosed);
        var refused = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja"));
        Assert.Equal("Branch.DayClosedUntil", refused.Code);
        Assert.Contains("jueves 26 de noviembre", refused.MessageFor(CultureInfo.GetCultureInfo("es-CO")));
        Assert.Equal("Branch.DayClosedUntil", (await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("3151112233", "777888999"))).Code);

        // The midnight sweep leaves a day a supervisor closed as it is.
        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await h.Queue.SweepClosingAsync());
        await using var after = h.Db();
        Assert.False((await after.DayClosures.SingleAsync(x => x.Day == Today)).AtMidnight);
    }

    [Fact]
    public async Task Only_a_supervisor_of_that_branch_or_an_admin_may_close_its_day()
    {
        var centro = await BranchIdAsync();
        int norte;
        string otherSupervisor = Guid.NewGuid().ToString(), agent = await UserIdAsync("agente1@demo.turno");
        await using (var db = h.Db())
        {
            var branch = new Branch { Name = "Sede Norte", Hours = Branch.AllWeek(0, 24 * 60) };
            db.Branches.Add(branch);
            db.Users.Add(new AppUser { Id = otherSupervisor, UserName = "norte@demo.turno", Email = "norte@demo.turno", DisplayName = "Supervisor Norte" });
            await db.SaveChangesAsync();
            norte = branch.Id;
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = otherSupervisor, RoleId = await db.Roles.Where(r => r.Name == Roles.Supervisor).Select(r => r.Id).SingleAsync() });
            db.UserBranches.Add(new UserBranch { UserId = otherSupervisor, BranchId = norte });
            await db.SaveChangesAsync();
        }
        await h.IssueAsync("Caja");

        foreach (var user in new[] { otherSupervisor, agent, "no-such-user" })
        {
            Assert.Equal("DayClose.NotAllowed", (await Assert.ThrowsAsync<DomainException>(() => h.Queue.PreviewDayCloseAsync(centro, user))).Code);
            var ex = await Assert.ThrowsAsync<DomainException>(() => h.Queue.CloseDayAsync(centro, user, "No me toca"));
            Assert.Equal("Solo un supervisor de esta sede puede cerrar el día.", ex.MessageFor(CultureInfo.GetCultureInfo("es-CO")));
        }
        await using (var db = h.Db())
            Assert.False(await db.DayClosures.AnyAsync());

        Assert.Empty((await h.Queue.PreviewDayCloseAsync(norte, otherSupervisor)).Open); // their own branch
        await h.Queue.CloseDayAsync(norte, otherSupervisor, "Fin de jornada");
        Assert.Single((await h.Queue.PreviewDayCloseAsync(centro, await UserIdAsync("admin@demo.turno"))).Open);
        await using var check = h.Db();
        Assert.Equal(norte, (await check.DayClosures.SingleAsync()).BranchId);
    }

    [Fact]
    public async Task Midnight_closes_the_day_for_the_job_then_the_daily_pdf_is_made()
    {
        await h.OpenEightToFiveAsync();
        var waiting = await h.IssueAsync("Caja");
        var serving = await h.IssueAsync("Información");
        var t = await CallNextAsync("Ventanilla 3", "agent-3");
        Assert.Equal(serving.Code, t.Code);
        await h.Queue.StartAsync(t.Id, t.Version, "agent-3");
        var archive = h.Services.GetRequiredService<ReportArchive>();
        var branchId = waiting.BranchId;

        h.Clock.Advance(TimeSpan.FromHours(8)); // 18:00: closed, but the day is not over
        await ReportJob().RunAsync();
        Assert.False(await archive.ExistsAsync(branchId, Today));
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(waiting.Code)).Status);

        h.Clock.Advance(TimeSpan.FromHours(6.25)); // Thursday 00:15
        await ReportJob().RunAsync();
        Assert.True(await archive.ExistsAsync(branchId, Today));
        Assert.Equal(TicketStatus.Expired, (await h.TicketAsync(waiting.Code)).Status);
        var closedBySystem = await h.TicketAsync(serving.Code);
        Assert.True(closedBySystem is { Status: TicketStatus.Completed, ClosedBySystem: true });
        await using var db = h.Db();
        var closure = await db.DayClosures.SingleAsync(c => c.Day == Today);
        Assert.True(closure is { AtMidnight: true, ClosedById: null, Reason: null });
        Assert.Equal(Now, closure.ReportAt);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.DayClosed && e.ActorId == null && e.EntityId == "2026-11-25"));
        Assert.Equal(0, await ReportJob().RunAsync()); // idempotent

        // The expired waiting ticket is a walk-out; a service closed by the system has no real service time.
        var report = await h.Services.GetRequiredService<ChannelReportService>().ComputeAsync(new ReportFilter(Today, Today, [branchId], []));
        Assert.Equal(1, report.Total.WalkOuts);
        Assert.Null(report.Total.ServiceAvgSeconds);
    }

    [Fact]
    public async Task The_daily_pdf_follows_a_supervisors_close_and_is_made_again_when_a_late_event_changes_the_day()
    {
        var supervisor = await UserIdAsync("supervisor@demo.turno");
        var issued = await h.IssueAsync("Caja");
        var t = await CallNextAsync("Ventanilla 1", "agent-1");
        t = await h.Queue.StartAsync(t.Id, t.Version, "agent-1");
        await h.Queue.CompleteAsync(t.Id, t.Version, "agent-1", null);
        var archive = h.Services.GetRequiredService<ReportArchive>();

        await ReportJob().RunAsync();
        Assert.False(await archive.ExistsAsync(issued.BranchId, Today)); // the day is open
        await h.Queue.CloseDayAsync(issued.BranchId, supervisor, "Fin de jornada");
        Assert.Equal(1, await ReportJob().RunAsync());
        var first = await archive.ReadAsync(issued.BranchId, Today);
        Assert.Equal(0, await ReportJob().RunAsync());

        // A rating arrives the next morning: a late event for the closed day.
        h.Clock.Advance(TimeSpan.FromHours(20));
        await using (var db = h.Db())
        {
            Assert.False(await TurnoDigital.Core.Queueing.QueueService.LateEvents(db, issued.BranchId, Today, BranchTime.Zone(null), (await db.DayClosures.SingleAsync(c => c.Day == Today)).ReportAt!.Value).AnyAsync());
            var ticket = await db.Tickets.SingleAsync(x => x.Code == issued.Code);
            ticket.Rate(5, Channel.WhatsApp, Now);
            await db.SaveChangesAsync();
            Assert.True(await TurnoDigital.Core.Queueing.QueueService.LateEvents(db, issued.BranchId, Today, BranchTime.Zone(null), (await db.DayClosures.SingleAsync(c => c.Day == Today)).ReportAt!.Value).AnyAsync());
        }
        Assert.Equal(1, await ReportJob().RunAsync());
        Assert.NotEqual(first, await archive.ReadAsync(issued.BranchId, Today));
        Assert.Equal(0, await ReportJob().RunAsync());
        await using var check = h.Db();
        Assert.Equal(Now, (await check.DayClosures.SingleAsync(c => c.Day == Today)).ReportAt);
    }
}
