using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>Issue 14 §6: the veterans' category, appointments before or after preferential walk-ins, and the fairness rule.</summary>
public class FairPriorityTests : IAsyncLifetime
{
    CoreHarness h = default!;
    string agent = "";
    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        await using var db = h.Db();
        agent = (await db.Users.SingleAsync(u => u.Email == "agente1@demo.turno")).Id;
    }
    public async Task DisposeAsync() => await h.DisposeAsync();

    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();

    async Task SetAsync(string service, Action<ServiceSettings> change)
    {
        var settings = ServiceSettings.From(await h.ServiceAsync(service));
        change(settings);
        await Admin.UpdateServiceAsync(settings, "admin-1");
    }

    /// <summary>Calls the next ticket at the counter and serves it to the end; the called number.</summary>
    async Task<string?> ServeNextAsync(int counterId)
    {
        var t = await h.Queue.CallNextAsync(counterId, agent);
        if (t is null) return null;
        t = await h.Queue.StartAsync(t.Id, t.Version, agent);
        await h.Queue.CompleteAsync(t.Id, t.Version, agent, null);
        return t.Number;
    }

    async Task<int> StreakAsync(int counterId)
    {
        await using var db = h.Db();
        return await db.Counters.Where(c => c.Id == counterId).Select(c => c.PreferentialStreak).SingleAsync();
    }

    [Fact]
    public async Task Veterans_are_a_preferential_category_on_by_default_that_the_admin_can_switch_off()
    {
        Assert.Contains(PreferentialReason.Veteran, (await Admin.SettingsAsync()).EnabledReasons());
        var issued = await h.IssueAsync("Caja", PreferentialReason.Veteran);
        var ticket = await h.TicketAsync(issued.Code);
        Assert.Equal((PriorityClass.Preferential, PreferentialReason.Veteran), (ticket.Priority, ticket.PreferentialReason));

        await Admin.UpdateSettingsAsync(60, 730, "admin-1", [PreferentialReason.OlderAdult, PreferentialReason.Pregnancy, PreferentialReason.Disability, PreferentialReason.ChildInArms]);
        var refused = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja", PreferentialReason.Veteran));
        Assert.Contains("veterano de la Fuerza Pública", refused.Message);
    }

    [Theory]
    [InlineData(false, new[] { "D-001", "D-002", "A-001" })] // default: the due appointment first
    [InlineData(true, new[] { "D-002", "D-001", "A-001" })]  // setting: preferential walk-ins first
    public async Task Due_appointments_go_before_or_after_preferential_walk_ins_as_the_service_says(bool after, string[] expected)
    {
        if (after) await SetAsync("Trámites y certificados", s => s.AppointmentsAfterPreferential = true);
        var tramites = await h.ServiceAsync("Trámites y certificados");
        var start = CoreHarness.Start.UtcDateTime.AddMinutes(40);
        var booked = await h.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(tramites.BranchId, tramites.Id, start, Channel.Web,
            new IntakeInput(DocumentType.CC, "1020304050", "María Pérez", "3001234567", "maria@example.co")
                { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } }, Guid.NewGuid(), DataPolicyAccepted: true));
        h.Clock.SetUtcNow(start);
        await h.IssueAsync("Caja"); // ordinary, before everyone
        var appointment = await h.Services.GetRequiredService<CheckInService>().CheckInAsync(booked.Id, Channel.Kiosk); // D-001
        await h.IssueAsync("Trámites y certificados", PreferentialReason.Pregnancy,
            new IntakeInput(DocumentType.CC, "52000111", "Ana Ruiz", "3109876543", "ana@example.co") { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } }); // D-002
        Assert.Equal("D-001", appointment.Ticket!.Number);

        // The status page counts people ahead in the same order.
        Assert.Equal(after ? 1 : 0, (await h.Queries.GetStatusAsync(appointment.Ticket.Code))!.PeopleAhead);
        var v2 = (await h.CounterAsync("Ventanilla 2")).Id;
        await h.Sessions.OpenAsync(v2, agent);
        Assert.Equal(expected, new[] { await ServeNextAsync(v2), await ServeNextAsync(v2), await ServeNextAsync(v2) });
    }

    [Fact]
    public async Task The_fairness_rule_is_off_by_default()
    {
        Assert.Equal(0, (await h.ServiceAsync("Caja")).OrdinaryAfterPreferentialCalls);
        await h.IssueAsync("Caja");
        for (var i = 0; i < 4; i++) await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        var v1 = (await h.CounterAsync("Ventanilla 1")).Id;
        await h.Sessions.OpenAsync(v1, agent);
        var order = new List<string?>();
        for (var i = 0; i < 5; i++) order.Add(await ServeNextAsync(v1));
        Assert.Equal(["A-002", "A-003", "A-004", "A-005", "A-001"], order);
        await using var db = h.Db();
        Assert.False(await db.JourneyEvents.AnyAsync(e => e.Kind == JourneyEventKind.FairnessTurn));
    }

    [Fact]
    public async Task After_N_preferential_calls_at_a_counter_one_ordinary_ticket_is_called_the_count_kept_on_the_counter_and_shown_on_the_panel()
    {
        await SetAsync("Caja", s => s.OrdinaryAfterPreferentialCalls = 2);
        await using (var db = h.Db())
            Assert.Contains("OrdinaryAfterPreferentialCalls", (await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ServiceUpdated)).Details);
        await h.IssueAsync("Caja");
        await h.IssueAsync("Caja");
        for (var i = 0; i < 4; i++) await h.IssueAsync("Caja", PreferentialReason.Veteran); // A-003..A-006
        var v1 = (await h.CounterAsync("Ventanilla 1")).Id;
        await h.Sessions.OpenAsync(v1, agent);

        Assert.Equal("A-003", await ServeNextAsync(v1));
        Assert.Equal(1, await StreakAsync(v1));
        Assert.Equal("A-004", await ServeNextAsync(v1));
        Assert.Equal(2, await StreakAsync(v1));
        // The counter reached 2: its desk line shows the ordinary ticket first, and Call next takes it.
        var desk = await h.Services.GetRequiredService<DeskQueries>().GetDeskAsync(v1, agent);
        Assert.Equal("A-001", desk!.Lines.Single(l => l.ServiceName == "Caja").Waiting[0].Number);
        Assert.Equal("A-001", await ServeNextAsync(v1));
        Assert.Equal(0, await StreakAsync(v1));
        Assert.Equal("A-005", await ServeNextAsync(v1));
        Assert.Equal("A-006", await ServeNextAsync(v1));
        Assert.Equal("A-002", await ServeNextAsync(v1)); // the rule again, no preferential left: a plain call, not a fairness turn

        await using var check = h.Db();
        var turn = await check.JourneyEvents.Include(e => e.Ticket).SingleAsync(e => e.Kind == JourneyEventKind.FairnessTurn);
        Assert.Equal(("A-001", v1, agent), (turn.Ticket!.Number, turn.CounterId, turn.ActorId));
        Assert.Contains("\"afterPreferentialCalls\":2", turn.Data);
        var now = await h.Services.GetRequiredService<PanelQueries>().GetNowAsync((await h.ServiceAsync("Caja")).BranchId);
        Assert.Equal(1, now.FairnessTurnsToday);
        Assert.Equal(("A-001", "Ventanilla 1", 2), (now.LastFairnessTurn!.TicketNumber, now.LastFairnessTurn.CounterName, now.LastFairnessTurn.AfterPreferentialCalls));
    }

    [Fact]
    public async Task The_fairness_turn_belongs_to_the_counter_that_made_the_preferential_calls()
    {
        await SetAsync("Caja", s => s.OrdinaryAfterPreferentialCalls = 1);
        await h.IssueAsync("Caja");
        for (var i = 0; i < 3; i++) await h.IssueAsync("Caja", PreferentialReason.Disability); // A-002..A-004
        var (v1, v2) = ((await h.CounterAsync("Ventanilla 1")).Id, (await h.CounterAsync("Ventanilla 2")).Id);
        await using (var db = h.Db())
        {
            var other = (await db.Users.SingleAsync(u => u.Email == "agente2@demo.turno")).Id;
            await h.Sessions.OpenAsync(v1, agent);
            Assert.Equal("A-002", await ServeNextAsync(v1));
            // Another counter has made no preferential call: it takes the next preferential ticket.
            await h.Sessions.OpenAsync(v2, other);
            var called = await h.Queue.CallNextAsync(v2, other);
            Assert.Equal("A-003", called!.Number);
        }
        Assert.Equal("A-001", await ServeNextAsync(v1));
    }

    [Fact]
    public async Task A_fairness_limit_out_of_range_is_a_clear_error()
    {
        var settings = ServiceSettings.From(await h.ServiceAsync("Caja"));
        settings.OrdinaryAfterPreferentialCalls = -1;
        var ex = await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateServiceAsync(settings));
        Assert.Contains("llamadas preferenciales seguidas", ex.Message);
    }
}
