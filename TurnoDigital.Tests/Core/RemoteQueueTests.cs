using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>The virtual queue: tickets taken before arriving (demo: Trámites asks to confirm arrival, Caja is live at once).</summary>
public class RemoteQueueTests : IAsyncLifetime
{
    const string Tramites = "Trámites y certificados";
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static IntakeInput Intake(string doc, string phone = "300 123 4567") =>
        new(DocumentType.CC, doc, "Ana María Ríos", phone, null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });

    async Task<TicketStatusView> RemoteAsync(string service, string? phone = "3001234567", IntakeInput? intake = null, bool consent = true,
        bool dataPolicy = true, Channel channel = Channel.Web)
    {
        var s = await h.ServiceAsync(service);
        return await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(s.BranchId, s.Id, channel, Guid.NewGuid(), phone, consent, dataPolicy, intake));
    }

    async Task<string> CallNextNumberAsync(string counter, string agent)
    {
        var c = await h.CounterAsync(counter);
        var t = await h.Queue.CallNextAsync(c.Id, agent);
        Assert.NotNull(t);
        return t!.Number;
    }

    async Task SetAsync(string service, Action<Service> change)
    {
        await using var db = h.Db();
        var s = await db.Services.SingleAsync(x => x.Name == service);
        change(s);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_remote_ticket_is_not_called_before_arrival_and_after_it_keeps_its_issue_time()
    {
        var remote = await RemoteAsync(Tramites, intake: Intake("111222333"));
        Assert.Equal(TicketStatus.Remote, remote.Status);
        Assert.True(remote.IsRemote);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        await h.IssueAsync(Tramites, intake: Intake("444555666", "3109998877"));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.IssueAsync(Tramites, intake: Intake("777888999", "3151112233"));

        // Shown as if it arrived now: within the fairness limit it would be first.
        Assert.Equal(0, (await h.Queries.GetStatusAsync(remote.Code))!.PeopleAhead);
        Assert.Equal("D-002", await CallNextNumberAsync("Ventanilla 2", "agent-2")); // the remote D-001 is skipped: not in line

        h.Clock.Advance(TimeSpan.FromMinutes(14)); // 10:20, 20 minutes after issue
        var arrival = await h.Queue.ConfirmArrivalAsync(remote.BranchId, "111.222.333", Channel.Kiosk);
        var arrived = Assert.Single(arrival.Tickets);
        Assert.False(arrival.AlreadyInLine);
        Assert.Equal(TicketStatus.Waiting, arrived.Status);
        Assert.Equal(0, arrived.PeopleAhead);
        var ticket = await h.TicketAsync(remote.Code);
        Assert.Equal(ticket.IssuedAt, ticket.DueAt);
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime, ticket.ArrivedAt);

        Assert.Equal("D-001", await CallNextNumberAsync("Ventanilla 3", "agent-3")); // ahead of D-003, issued after it
        await using var db = h.Db();
        var kinds = await db.JourneyEvents.Where(e => e.TicketId == ticket.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        Assert.Equal([JourneyEventKind.RemoteTicketIssued, JourneyEventKind.ArrivalConfirmed, JourneyEventKind.TicketCalled], kinds);
        Assert.Contains(h.Notifier.Events, e => e.TicketId == ticket.Id && e.Kind == TurnoDigital.Core.Live.QueueEventKind.TicketChanged);
    }

    [Fact]
    public async Task Arriving_after_the_fairness_limit_goes_to_the_end_of_the_line()
    {
        var remote = await RemoteAsync(Tramites, intake: Intake("111222333"));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        await h.IssueAsync(Tramites, intake: Intake("444555666", "3109998877"));
        h.Clock.Advance(TimeSpan.FromMinutes(30)); // exactly 60 minutes: still on time
        Assert.Equal(0, (await h.Queries.GetStatusAsync(remote.Code))!.PeopleAhead);
        h.Clock.Advance(TimeSpan.FromMinutes(1)); // 61 minutes
        Assert.Equal(1, (await h.Queries.GetStatusAsync(remote.Code))!.PeopleAhead);

        var arrived = Assert.Single((await h.Queue.ConfirmArrivalAsync(remote.BranchId, remote.Code, Channel.Kiosk)).Tickets);
        Assert.Equal(1, arrived.PeopleAhead);
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime, (await h.TicketAsync(remote.Code)).DueAt);
        Assert.Equal("D-002", await CallNextNumberAsync("Ventanilla 2", "agent-2"));
        Assert.Equal("D-001", await CallNextNumberAsync("Ventanilla 3", "agent-3"));
    }

    [Fact]
    public async Task Arrival_by_scanned_link_once_only_and_never_for_another_branch_or_an_unknown_code()
    {
        var remote = await RemoteAsync(Tramites, intake: Intake("111222333"));
        Assert.Empty((await h.Queue.ConfirmArrivalAsync(remote.BranchId + 100, remote.Code, Channel.Kiosk)).Tickets);
        Assert.Empty((await h.Queue.ConfirmArrivalAsync(remote.BranchId, "999888777", Channel.Kiosk)).Tickets);

        var scanned = await h.Queue.ConfirmArrivalAsync(remote.BranchId, $"https://turno.example/t/{remote.Code}\n", Channel.Kiosk);
        Assert.Equal(remote.Number, Assert.Single(scanned.Tickets).Number);
        var again = await h.Queue.ConfirmArrivalAsync(remote.BranchId, "111222333", Channel.Kiosk);
        Assert.True(again.AlreadyInLine);
        Assert.Equal(TicketStatus.Waiting, Assert.Single(again.Tickets).Status);
        var entity = await h.TicketAsync(remote.Code);
        var ex = Assert.Throws<DomainException>(() => entity.ConfirmArrival(h.Clock.GetUtcNow().UtcDateTime, 60, Channel.Kiosk));
        Assert.Contains("ya está en la fila", ex.Message);
    }

    [Fact]
    public async Task Live_at_once_is_in_line_immediately_and_records_the_consents()
    {
        var live = await RemoteAsync("Caja", phone: "300 123 4567", channel: Channel.WhatsApp);
        Assert.Equal(TicketStatus.Waiting, live.Status);
        Assert.Equal("A-001", await CallNextNumberAsync("Ventanilla 1", "agent-1"));

        await using var db = h.Db();
        var ticket = await db.Tickets.Include(t => t.Customer).ThenInclude(c => c!.Consents).SingleAsync();
        Assert.Equal(Channel.WhatsApp, ticket.Channel);
        Assert.Equal("+573001234567", ticket.Customer!.Phone?.Value);
        Assert.Equal([ConsentRecord.DataProcessing, ConsentRecord.WhatsAppTicketUpdates], ticket.Customer.Consents.Select(c => c.Purpose).Order().ToArray());
    }

    [Fact]
    public async Task The_cap_refuses_more_remote_tickets_and_a_cancellation_frees_a_place()
    {
        await SetAsync("Caja", s => s.RemoteTicketCap = 2);
        var first = await RemoteAsync("Caja", phone: "3001111111");
        await RemoteAsync("Caja", phone: "3002222222");
        await h.IssueAsync("Caja"); // kiosk tickets do not count against the cap
        var branchId = first.BranchId;
        Assert.Equal(0, (await h.Queries.GetPublicBranchAsync(branchId))!.Lines.Single(l => l.Line.Name == "Caja").RemotePlacesLeft);

        var ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Caja", phone: "3003333333"));
        Assert.Contains("no hay cupos", ex.Message);

        var cancelled = await h.Queue.CancelRemoteAsync(first.Code, Channel.Web);
        Assert.Equal(TicketStatus.Cancelled, cancelled.Status);
        var line = (await h.Queries.GetPublicBranchAsync(branchId))!.Lines.Single(l => l.Line.Name == "Caja");
        Assert.Equal(1, line.RemotePlacesLeft);
        Assert.Equal(2, line.Line.Waiting);
        Assert.Equal(TicketStatus.Waiting, (await RemoteAsync("Caja", phone: "3003333333")).Status);

        await using var db = h.Db();
        Assert.Equal(1, await db.JourneyEvents.CountAsync(e => e.Kind == JourneyEventKind.TicketCancelled));
        Assert.Equal(0, await db.TicketNumberCounters.Where(c => c.LastSequence > 5).CountAsync()); // the refusal burnt no number
    }

    [Fact]
    public async Task One_active_remote_ticket_per_phone_or_document_per_service()
    {
        var caja = await RemoteAsync("Caja", phone: "3001234567");
        var ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Caja", phone: "300 123 4567"));
        // Neutral: no ticket number, the same words for a phone or a document.
        Assert.StartsWith("No es posible tomar más turnos a distancia con estos datos", ex.Message);
        Assert.DoesNotContain(caja.Number, ex.Message);

        await RemoteAsync(Tramites, intake: Intake("111222333")); // same phone, another service: fine
        ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync(Tramites, phone: "3159990000", intake: Intake("111222333", "3159990000")));
        Assert.StartsWith("No es posible tomar más turnos a distancia con estos datos", ex.Message);

        await h.Queue.CancelRemoteAsync(caja.Code, Channel.WhatsApp);
        Assert.Equal(TicketStatus.Waiting, (await RemoteAsync("Caja", phone: "3001234567")).Status); // free again after cancelling
    }

    [Fact]
    public async Task Refusals_say_why_in_Spanish()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Información"));
        Assert.Contains("no entrega turnos a distancia", ex.Message);
        ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Asesoría de créditos"));
        Assert.Contains("sin cita", ex.Message);
        ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Caja", phone: null));
        Assert.Contains("número de celular", ex.Message);
        ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Caja", phone: "123"));
        Assert.Contains("no es válido", ex.Message);
        ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Caja", dataPolicy: false));
        Assert.Contains("política de tratamiento", ex.Message);
        await Assert.ThrowsAsync<IntakeValidationException>(() => RemoteAsync(Tramites)); // document and the rest, as the kiosk asks

        await using (var db = h.Db())
        {
            foreach (var hours in await db.Set<OpeningHours>().ToListAsync()) hours.ClosesAtMinute = hours.OpensAtMinute; // closed all week
            await db.SaveChangesAsync();
        }
        ex = await Assert.ThrowsAsync<DomainException>(() => RemoteAsync("Caja"));
        Assert.Contains("cerrada", ex.Message);
        var view = (await h.Queries.GetPublicBranchAsync((await h.ServiceAsync("Caja")).BranchId))!;
        Assert.False(view.IsOpen);
        Assert.All(view.Lines, l => Assert.False(l.CanTakeRemote));
        await using var check = h.Db();
        Assert.Equal(0, await check.Tickets.CountAsync());
    }

    [Fact]
    public async Task Only_uncalled_remote_tickets_can_be_cancelled_here()
    {
        var kiosk = await h.IssueAsync("Caja");
        var ex = await Assert.ThrowsAsync<DomainException>(() => h.Queue.CancelRemoteAsync(kiosk.Code, Channel.Web));
        Assert.Contains("se tomó en la sede", ex.Message);

        var remote = await RemoteAsync("Caja", phone: "3001234567");
        await CallNextNumberAsync("Ventanilla 1", "agent-1"); // the kiosk ticket
        await CallNextNumberAsync("Ventanilla 2", "agent-2"); // the remote one
        ex = await Assert.ThrowsAsync<DomainException>(() => h.Queue.CancelRemoteAsync(remote.Code, Channel.Web));
        Assert.Contains("aún no ha sido llamado", ex.Message);
    }

    [Fact]
    public async Task Day_close_ends_remote_tickets_that_never_arrived_as_not_arrived()
    {
        var remote = await RemoteAsync(Tramites, intake: Intake("111222333"));
        Assert.Equal(0, await h.Queue.ExpireLeftoversAsync());
        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await h.Queue.ExpireLeftoversAsync());
        Assert.Equal(TicketStatus.NotArrived, (await h.TicketAsync(remote.Code)).Status);
        Assert.Empty((await h.Queue.ConfirmArrivalAsync(remote.BranchId, remote.Code, Channel.Kiosk)).Tickets);
    }

    [Theory]
    [InlineData("https://x.co/t/abcdefgh23?x=1", "abcdefgh23", null)]
    [InlineData("1.020.304-050", null, "1020304050")]
    [InlineData("AB12CD34EF", "ab12cd34ef", "AB12CD34EF")]
    [InlineData("12", null, null)]
    public void Arrival_input_is_a_code_a_link_or_a_document(string input, string? code, string? document)
    {
        Assert.Equal((code, document), QueueService.ParseArrivalInput(input));
    }
}
