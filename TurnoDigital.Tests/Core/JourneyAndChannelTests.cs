using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core;

public class JourneyAndChannelTests : IAsyncLifetime
{
    CoreHarness h = default!;
    SupervisionData.Seeded data = default!;
    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        data = await SupervisionData.SeedAsync(h);
    }
    public async Task DisposeAsync() => await h.DisposeAsync();
    JourneyTrace Journey => h.Services.GetRequiredService<JourneyTrace>();
    WhatsAppChannelQueries Channel => h.Services.GetRequiredService<WhatsAppChannelQueries>();
    static DateTime At(int hour, double minute = 0) => SupervisionData.At(hour, minute);

    async Task AddMessagesAsync()
    {
        await using var db = h.Db();
        db.InboundMessages.Add(new InboundMessage { WaMessageId = "wamid.in1", From = "573001112233", Type = "text", Text = "Mi cédula es 1012345678", SentAt = At(8, 40), ReceivedAt = At(8, 40) });
        db.InboundMessages.Add(new InboundMessage { WaMessageId = "wamid.in2", From = "573001112233", Type = "interactive", Text = "Confirmar", ReplyId = "confirm", SentAt = At(7, 10), ReceivedAt = At(7, 10) });
        db.InboundMessages.Add(new InboundMessage { WaMessageId = "wamid.other", From = "573009999999", Type = "text", Text = "Hola", SentAt = At(9, 30), ReceivedAt = At(9, 30) });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "r1", To = "573001112233", Kind = MessageKind.ReminderSameDay, Status = OutboxStatus.Delivered, CreatedAt = At(7), NextAttemptAt = At(7),
            SentAt = At(7, 0.1), DeliveredAt = At(7, 0.2), BranchId = data.BranchId, CustomerId = data.CustomerId });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "f1", To = "573001112233", Kind = MessageKind.RatingRequest, Status = OutboxStatus.Failed, CreatedAt = At(9, 21), NextAttemptAt = At(9, 21),
            FailedAt = At(9, 22), ErrorCode = 131026, Error = "Message undeliverable", BranchId = data.BranchId });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "f2", To = "573009999999", Kind = MessageKind.TicketCalled, Status = OutboxStatus.Failed, CreatedAt = At(9, 31), NextAttemptAt = At(9, 31),
            FailedAt = At(9, 35), ErrorCode = 132000, Error = "Template param count mismatch", BranchId = data.BranchId });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "p1", To = "573009999999", Kind = MessageKind.Reply, Status = OutboxStatus.Read, CreatedAt = At(9, 30), NextAttemptAt = At(9, 30) });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "old", To = "573009999999", Kind = MessageKind.Reply, Status = OutboxStatus.Sent, CreatedAt = At(9).AddDays(-3), NextAttemptAt = At(9).AddDays(-3) });
        await db.SaveChangesAsync();
    }

    async Task<BranchScope> ScopeAsync(string email, bool admin)
    {
        await using var db = h.Db();
        var id = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        return await BranchScope.ForAsync(db, id, admin);
    }

    [Fact]
    public async Task Journey_by_document_is_one_ordered_timeline_and_the_lookup_is_audited_masked()
    {
        await AddMessagesAsync();
        var scope = await ScopeAsync("supervisor@demo.turno", admin: false);
        var result = await Journey.SearchAsync("1.012.345.678", scope, "sup-id", "Supervisor Demo");

        var person = Assert.Single(result.People);
        Assert.Equal("Marta Lucía Prueba", person.FullName);
        Assert.Equal("******5678", person.MaskedDocument);
        Assert.Equal("+57 *** *** 2233", person.MaskedPhone);
        // Booked yesterday → reminder 7:00 → "Confirmar" 7:10 → message 8:40 → check-in 8:50 → called 9:03 → rated 9:20 → rating request failed 9:21.
        Assert.Equal(["Journey:AppointmentBooked", "Out:ReminderSameDay", "In:", "In:", "Journey:AppointmentCheckedIn", "Journey:TicketCalled", "Journey:ServiceRated", "Out:RatingRequest"],
            result.Timeline.Select(t => t.Source switch { TimelineSource.Journey => $"Journey:{t.Event}", TimelineSource.WhatsAppOut => $"Out:{t.Message}", _ => "In:" }));
        Assert.True(result.Timeline.Zip(result.Timeline.Skip(1)).All(p => p.First.AtUtc <= p.Second.AtUtc));
        Assert.Equal(new TimeOnly(8, 50), TimeOnly.FromDateTime(result.Timeline[4].AtLocal)); // branch time, not UTC
        Assert.Equal(TurnoDigital.Core.Common.Channel.Kiosk, result.Timeline[4].Channel);
        Assert.Equal("«Confirmar»", result.Timeline[2].Detail);
        Assert.Equal("«Mi cédula es •••»", result.Timeline[3].Detail); // typed numbers are not repeated on screen
        Assert.Equal(OutboxStatus.Delivered, result.Timeline[1].Status);
        Assert.Equal("131026 · Message undeliverable", result.Timeline[^1].Detail);
        Assert.Equal("2/5", result.Timeline[6].Detail);
        Assert.DoesNotContain(result.Timeline, t => t.Detail == "«Hola»"); // another person's message

        await using var db = h.Db();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.JourneyViewed);
        Assert.Equal("sup-id", audit.ActorId);
        Assert.Equal(data.CustomerId.ToString(), audit.EntityId);
        Assert.Contains("******5678", audit.Details);
        Assert.DoesNotContain("1012345678", audit.Details);
    }

    [Fact]
    public async Task Journey_by_document_type_and_number_tells_CC_and_TI_with_the_same_number_apart()
    {
        // A child with a TI of the same number as Marta's CC takes a ticket at the kiosk.
        var ti = await h.IssueAsync("Trámites y certificados", intake: new TurnoDigital.Core.Appointments.IntakeInput(TurnoDigital.Core.Customers.DocumentType.TI,
            "1012345678", "Sofía Ruiz", "3151234567", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }));
        var scope = await ScopeAsync("admin@demo.turno", admin: true);

        var child = await Journey.SearchAsync("1012345678", scope, "admin-id", null, TurnoDigital.Core.Customers.DocumentType.TI);
        Assert.Equal("Sofía Ruiz", Assert.Single(child.People).FullName);
        Assert.Equal([ti.Number], child.Timeline.Select(t => t.TicketNumber).Distinct());
        Assert.Equal("TI ******5678", child.MaskedKey);

        var adult = await Journey.SearchAsync("1012345678", scope, "admin-id", null, TurnoDigital.Core.Customers.DocumentType.CC);
        Assert.Equal(data.CustomerId, Assert.Single(adult.People).CustomerId);
        Assert.DoesNotContain(adult.Timeline, t => t.TicketNumber == ti.Number);

        Assert.Empty((await Journey.SearchAsync("1012345678", scope, "admin-id", null, TurnoDigital.Core.Customers.DocumentType.CE)).People);
        await using var db = h.Db();
        Assert.Contains("TI ******5678", (await db.AuditEntries.Where(a => a.Action == AuditActions.JourneyViewed).OrderBy(a => a.Id).FirstAsync()).Details);
    }

    [Fact]
    public async Task Journey_by_phone_finds_the_same_person_and_anonymised_people_show_as_anonymous()
    {
        await AddMessagesAsync();
        var scope = await ScopeAsync("admin@demo.turno", admin: true);
        var byPhone = await Journey.SearchAsync("300 111 2233", scope, "admin-id", null);
        Assert.Equal(data.CustomerId, Assert.Single(byPhone.People).CustomerId);
        Assert.Equal(8, byPhone.Timeline.Count);

        await h.Services.GetRequiredService<TurnoDigital.Core.Privacy.PersonalDataService>().EraseAsync(data.CustomerId, "admin-id", null);
        // Erasure removes the document and the number from the person and from their messages: neither finds them any more.
        Assert.Empty((await Journey.SearchAsync("1012345678", scope, "admin-id", null)).People);
        var byNumber = await Journey.SearchAsync("3001112233", scope, "admin-id", null);
        Assert.Empty(byNumber.People);
        Assert.Empty(byNumber.Timeline);
        await using var db = h.Db();
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.JourneyViewed)); // every look-up, found or not
    }

    [Fact]
    public async Task A_supervisor_of_another_branch_sees_nothing_of_this_branch()
    {
        await AddMessagesAsync();
        await using (var db = h.Db())
        {
            var norte = new Branch { Name = "Sede Norte" };
            db.Branches.Add(norte);
            await db.SaveChangesAsync();
            var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
            supervisor.AllBranches = false;
            db.UserBranches.Add(new UserBranch { UserId = supervisor.Id, BranchId = norte.Id });
            await db.SaveChangesAsync();
        }
        var scope = await ScopeAsync("supervisor@demo.turno", admin: false);
        var result = await Journey.SearchAsync("1012345678", scope, "sup-id", null);
        Assert.Empty(result.People);
        Assert.Empty(result.Timeline);
        await using var check = h.Db();
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == AuditActions.JourneyViewed)); // the attempt is still logged
    }

    [Fact]
    public async Task Channel_view_counts_today_and_a_range_and_lists_failures_latest_first()
    {
        await AddMessagesAsync();
        var today = await Channel.GetAsync(data.BranchId, SupervisionData.Day, SupervisionData.Day, unrestricted: true);
        Assert.Equal(3, today.Inbound);
        Assert.Equal(3, today.BookingsCreated);                    // WhatsApp appointments created today
        Assert.Equal(1, today.OutboundByStatus[OutboxStatus.Delivered]);
        Assert.Equal(2, today.OutboundByStatus[OutboxStatus.Failed]);
        Assert.Equal(1, today.OutboundByStatus[OutboxStatus.Read]);  // a branch-less reply counts for an unrestricted user
        Assert.Equal(4, today.Outbound);
        Assert.Equal(new TimeOnly(9, 30), TimeOnly.FromDateTime(today.LastInboundLocal!.Value));

        var restricted = await Channel.GetAsync(data.BranchId, SupervisionData.Day, SupervisionData.Day, unrestricted: false);
        Assert.Equal(3, restricted.Outbound);
        var range = await Channel.GetAsync(data.BranchId, SupervisionData.Day.AddDays(-7), SupervisionData.Day, unrestricted: true);
        Assert.Equal(5, range.Outbound);
        Assert.Equal(5, range.BookingsCreated);                     // plus the two booked yesterday

        var failures = await Channel.FailuresAsync(data.BranchId, SupervisionData.Day, SupervisionData.Day, true, 0, 1);
        Assert.Equal(2, failures.Total);
        var latest = Assert.Single(failures.Items);
        Assert.Equal((132000, "Template param count mismatch"), (latest.ErrorCode, latest.Error));
        Assert.Equal(new TimeOnly(9, 35), TimeOnly.FromDateTime(latest.AtLocal));
        Assert.Equal(131026, Assert.Single((await Channel.FailuresAsync(data.BranchId, SupervisionData.Day, SupervisionData.Day, true, 1, 1)).Items).ErrorCode);
    }

    [Fact]
    public async Task Silence_alert_only_during_opening_hours_and_after_the_configured_minutes()
    {
        var branch = new Branch { Name = "Horario", Hours = [new OpeningHours { Day = DayOfWeek.Wednesday, OpensAtMinute = 8 * 60, ClosesAtMinute = 17 * 60 }] };
        Assert.Equal(90, WhatsAppChannelQueries.SilentMinutes(branch, At(10), At(8, 30), 60));
        Assert.Null(WhatsAppChannelQueries.SilentMinutes(branch, At(10), At(9, 30), 60));
        Assert.Equal(120, WhatsAppChannelQueries.SilentMinutes(branch, At(10), At(16).AddDays(-1), 60)); // the closed night does not count
        Assert.Null(WhatsAppChannelQueries.SilentMinutes(branch, At(8, 30), null, 60));                // opened 30 min ago
        Assert.Null(WhatsAppChannelQueries.SilentMinutes(branch, At(18), null, 60));                   // closed

        // Through the service with the fake clock: the demo branch is open all day; the threshold is the administrator's.
        await using (var db = h.Db())
            await db.AlertThresholds.ExecuteUpdateAsync(s => s.SetProperty(t => t.SilenceMinutes, 60));
        await AddMessagesAsync(); // last inbound 9:30, now 10:00
        Assert.False((await Channel.GetAsync(data.BranchId, SupervisionData.Day, SupervisionData.Day, true)).SilenceAlert);
        h.Clock.Advance(TimeSpan.FromMinutes(45));
        var view = await Channel.GetAsync(data.BranchId, SupervisionData.Day, SupervisionData.Day, true);
        Assert.True(view.SilenceAlert);
        Assert.Equal(75, view.SilentMinutes);
    }
}
