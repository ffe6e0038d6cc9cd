using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary><paramref name="DataPolicyAccepted"/>: the data authorization shown with the intake was accepted (needed when personal data is given).</summary>
public sealed record IssueTicketRequest(
    int BranchId, int ServiceId, Channel Channel, Guid RequestId,
    PreferentialReason? Preferential = null, string? WhatsAppPhone = null, bool WhatsAppConsent = false, IntakeInput? Intake = null,
    bool DataPolicyAccepted = false);

/// <summary>Issues, calls and moves tickets. One context per operation; state changes go through the entity.</summary>
public sealed partial class QueueService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, QueueQueries queries,
    IOptionsMonitor<ContactLimits> limits, OrganizationCache configuration)
{
    public const string CodeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public Task<TicketStatusView> IssueAsync(IssueTicketRequest request, CancellationToken ct = default) =>
        IssueAsync(request, Status, ct);

    /// <summary><see cref="IssueAsync"/> without the kiosk's status view (its estimate is a read of its own): the new ticket's code, for the simulation.</summary>
    internal Task<string> IssueCodeAsync(IssueTicketRequest request, CancellationToken ct = default) => IssueAsync(request, Code, ct);

    // What an issue answers: the status from the ticket just written (no second read of it or of its service), or only its code.
    Task<TicketStatusView> Status(TurnoDbContext db, Ticket ticket, CancellationToken ct) => queries.StatusAsync(db, ticket, ct);
    static Task<string> Code(TurnoDbContext db, Ticket ticket, CancellationToken ct) => Task.FromResult(ticket.Code);

    Task<T> IssueAsync<T>(IssueTicketRequest request, Func<TurnoDbContext, Ticket, CancellationToken, Task<T>> answer, CancellationToken ct)
    {
        PhoneNumber? phone = null;
        if (!string.IsNullOrWhiteSpace(request.WhatsAppPhone))
        {
            phone = WhatsAppPhone(request.WhatsAppPhone);
            if (!request.WhatsAppConsent)
                throw new DomainException("WhatsApp.ConsentRequired");
        }
        return IssueCoreAsync(request, phone, remote: false, answer, ct);
    }

    static PhoneNumber WhatsAppPhone(string input) => PhoneNumber.ParseOrNull(input)
        ?? throw new DomainException("WhatsApp.BadNumber");

    /// <summary>
    /// The one issue path (kiosk, API, remote): numbering, code, intake, consent, journey and notifier.
    /// A remote ticket also passes the service's remote rules inside the numbering transaction (<see cref="EnsureRemoteRoomAsync"/>).
    /// </summary>
    async Task<T> IssueCoreAsync<T>(IssueTicketRequest request, PhoneNumber? phone, bool remote,
        Func<TurnoDbContext, Ticket, CancellationToken, Task<T>> answer, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await IssueOnceAsync(request, phone, remote, answer, ct); }
            // A row this issue adds when missing (the person, their contact history) was added by another issue at the same moment:
            // on a server database one of the two hits the key. Start again in a new transaction; the row is there now.
            catch (DbUpdateException) when (attempt < 3) { }
        }
    }

    async Task<T> IssueOnceAsync<T>(IssueTicketRequest request, PhoneNumber? phone, bool remote,
        Func<TurnoDbContext, Ticket, CancellationToken, Task<T>> answer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.RequestId == request.RequestId, ct);
        if (existing is not null) return await answer(db, existing, ct);

        // Service, branch hours, closed dates, settings and intake fields: the configuration cache, not a read per issue.
        var config = await configuration.GetAsync(c => c.ServiceAt(request.BranchId, request.ServiceId) is not null);
        var service = config.ServiceAt(request.BranchId, request.ServiceId) ?? throw new DomainException("Service.NotAtBranch");
        var now = clock.GetUtcNow().UtcDateTime;
        if (!service.TakesWalkIns) throw new DomainException("Service.NoWalkIns");
        if (remote && !service.AllowsRemoteTickets)
            throw new DomainException("Service.NoRemoteTickets");
        await EnsureIssuingAsync(db, service.Branch!, now, ct);
        if (request.Preferential is not null)
            PreferentialReasons.EnsureEnabled(config.Settings, request.Preferential);
        var day = BranchTime.LocalDay(now, service.Branch!.Zone);
        // Same intake rules as booking: a walk-in ticket cannot skip the service's required fields.
        var fields = config.IntakeFields[service.Id].ToList();
        var intake = fields.Count == 0 ? null : IntakeValidator.Validate(fields, request.Intake ?? new IntakeInput());
        if (remote)
            phone ??= intake?.Phone ?? throw new DomainException("Remote.PhoneRequired");

        Ticket ticket;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Numbering first: its row update serialises issues of the service, so the remote checks below cannot race.
            ticket = await NewTicketAsync(db, service, day, now, request.Channel, request.RequestId, request.Preferential, ct);
            if (remote) await EnsureRemoteRoomAsync(db, service, day, phone!, intake, ct);
            var customer = intake is null ? null : await IntakeCustomerAsync(db, intake, now, ct);
            // Personal data given with the intake needs the authorization shown with it (Ley 1581: never implied).
            if (customer is not null && !request.DataPolicyAccepted) throw new DomainException("Ticket.DataPolicyRequired");
            if (phone is not null) customer = await ContactAsync(db, customer, phone, now, ct);
            var version = ConsentTexts.Version(request.Channel);
            if (request.WhatsAppConsent && phone is not null)
                customer!.Consents.Add(ConsentRecord.Given(ConsentRecord.WhatsAppTicketUpdates, request.Channel, version, now));
            if (request.DataPolicyAccepted && customer is not null)
                customer.Consents.Add(ConsentRecord.Given(ConsentRecord.DataProcessing, request.Channel, version, now));
            var contact = new ContactDetails(phone ?? intake?.Phone, intake?.FullName, intake?.Email, request.WhatsAppConsent && phone is not null);
            ticket.Issue(customer, intake is { Custom.Count: > 0 } ? JsonSerializer.Serialize(intake.Custom) : null, now,
                remote ? service.RemoteArrival : null, contact);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A double tap raced us: the other request issued the ticket.
            db.ChangeTracker.Clear();
            var other = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.RequestId == request.RequestId, ct);
            if (other is null) throw;
            return await answer(db, other, ct);
        }
        return await answer(db, ticket, ct);
    }

    /// <summary>A numbered ticket in the service's line (added to the context; saved by the caller's transaction).</summary>
    internal static async Task<Ticket> NewTicketAsync(TurnoDbContext db, Organization.Service service, DateOnly day, DateTime now, Channel channel,
        Guid? requestId, PreferentialReason? preferential, CancellationToken ct)
    {
        var sequence = await NextSequenceAsync(db, service.BranchId, service.Id, day, ct);
        var ticket = Ticket.Numbered(service, day, sequence, RandomNumberGenerator.GetString(CodeAlphabet, 10), channel, now, requestId, preferential);
        db.Tickets.Add(ticket);
        return ticket;
    }

    static async Task<int> NextSequenceAsync(TurnoDbContext db, int branchId, int serviceId, DateOnly day, CancellationToken ct)
    {
        string[] key = ["BranchId", "ServiceId", "Day"];
        object[] values = [branchId, serviceId, day];
        Task<int?> NextAsync() => SqlDialect.IncrementAsync(db.Database, "TicketNumberCounters", "LastSequence", key, values, ct);
        if (await NextAsync() is int next) return next;
        // The day's first ticket: two kiosks may both get here. Only one creates the row, the other waits for it; both then count on it.
        await SqlDialect.InsertIfMissingAsync(db.Database, "TicketNumberCounters", [.. key, "LastSequence"], key, [.. values, 0], ct);
        return await NextAsync() ?? throw new InvalidOperationException("The ticket number counter row is missing after its insert.");
    }

    /// <summary>The intake's person: the same customer for the same document; without a document, a new record only if something personal was given.</summary>
    static async Task<Customer?> IntakeCustomerAsync(TurnoDbContext db, IntakeValue intake, DateTime now, CancellationToken ct)
    {
        if (intake.Document is not null) return await BookingService.UpsertCustomerAsync(db, intake, now, ct);
        if (intake.FullName is null && intake.Phone is null && intake.Email is null) return null;
        var customer = new Customer { FullName = intake.FullName, Phone = intake.Phone, Email = intake.Email, CreatedAt = now };
        db.Customers.Add(customer);
        return customer;
    }

    /// <summary>The phone belongs to the intake's customer when there is one (never a second customer), else to the one with that phone.</summary>
    static async Task<Customer> ContactAsync(TurnoDbContext db, Customer? customer, PhoneNumber phone, DateTime now, CancellationToken ct)
    {
        customer ??= await db.Customers.FirstOrDefaultAsync(c => c.Phone == phone, ct);
        if (customer is null) db.Customers.Add(customer = new Customer { Phone = phone, CreatedAt = now });
        customer.Phone ??= phone; // the intake phone, when given, stays the contact number
        return customer;
    }

    /// <summary>
    /// Claims the next ticket for a counter: candidates in call order, each claimed with a conditional update
    /// (<see cref="Ticket.ClaimAsync"/>); zero rows means another agent won it, so the next one is tried.
    /// </summary>
    public async Task<Ticket?> CallNextAsync(int counterId, string agentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counter = (await configuration.GetAsync(c => c.Counters.ContainsKey(counterId))).Counters.GetValueOrDefault(counterId)
            ?? throw new DomainException("Counter.NotFound");
        var now = clock.GetUtcNow().UtcDateTime;
        var day = BranchTime.LocalDay(now, counter.Branch!.Zone);
        var serviceIds = counter.Services.Select(s => s.Id).ToArray();
        // One read for what changes with every call (so not configuration): the fairness count, and whether the agent may call.
        var caller = await CallerRead.For(db)(db, counterId, agentId, ct) ?? throw new DomainException("Counter.NotFound");
        if (caller.Busy) throw new DomainException("Queue.FinishCurrentFirst");
        if (caller.Paused) throw new DomainException("Queue.PausedResumeToCall");
        var fairness = counter.Services.Any(s => s.OrdinaryAfterPreferentialCalls > 0);
        var streak = fairness ? caller.PreferentialStreak : 0;

        var order = CallOrder.ForCounter(counter.Services, streak);
        var candidatesAt = CounterLine.Candidates.For(db);
        // Read in the claim's transaction: on SQLite it holds the only writer, so its first candidate cannot be lost. A server
        // database may lose one to another agent's commit; enough candidates that many agents calling at once each find one.
        var take = db.Database.IsSqlite() ? 1 : 20;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var candidates = await candidatesAt(db, counter.BranchId, counterId, day, serviceIds, agentId, now, now - PresenceService.HeartbeatGap,
                order.AppointmentsAfterPreferential, order.OrdinaryFirst, take).ToListAsync(ct);
            if (candidates.Count == 0) return null;

            foreach (var ticket in candidates)
            {
                var read = ticket.Version;
                ticket.Call(counterId, agentId, now);
                if (await ticket.ClaimAsync(db.Tickets, read, ct) == 0) continue;
                db.Tickets.Attach(ticket); // as the claim wrote it; the save adds its journey event and messages
                // The count only matters under the fairness rule: without it a call writes no counter row.
                if (fairness) await CountPreferentialStreakAsync(db, counter, streak, ticket, order, day, now, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return ticket;
            }
        }
        throw new DomainException("Queue.BusyRetryCall");
    }

    sealed record Caller(int PreferentialStreak, bool Busy, bool Paused);

    // Compiled once: Call next's and every desk action's reads skip EF's per-query expression work (issue 17 §2).
    static readonly PerModel<Func<TurnoDbContext, int, string, CancellationToken, Task<Caller?>>> CallerRead = new(() => EF.CompileAsyncQuery(
        (TurnoDbContext db, int counterId, string agentId, CancellationToken ct) =>
        db.Counters.Where(c => c.Id == counterId).Select(c => new Caller(
            c.PreferentialStreak,
            db.Tickets.Any(t => t.CounterId == counterId && t.AgentId == agentId && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving)),
            db.CounterSessions.Any(s => s.CounterId == counterId && s.AgentId == agentId && s.EndedAt == null && s.PausedAt != null))).FirstOrDefault()));

    static readonly PerModel<Func<TurnoDbContext, long, CancellationToken, Task<Ticket?>>> TicketRead = new(() =>
        EF.CompileAsyncQuery((TurnoDbContext db, long id, CancellationToken ct) => db.Tickets.FirstOrDefault(t => t.Id == id)));

    /// <summary>
    /// The fairness rule's count on the counter's row, in the claim's transaction: a preferential call adds one, an ordinary
    /// call resets it (an appointment leaves it). An ordinary call that passed waiting preferential tickets is recorded.
    /// </summary>
    static async Task CountPreferentialStreakAsync(TurnoDbContext db, Organization.Counter counter, int streak, Ticket ticket, CallOrder order, DateOnly day,
        DateTime now, CancellationToken ct)
    {
        var row = db.Counters.Where(c => c.Id == counter.Id);
        if (ticket.Priority == PriorityClass.Preferential)
            await row.ExecuteUpdateAsync(s => s.SetProperty(c => c.PreferentialStreak, c => c.PreferentialStreak + 1), ct);
        else if (ticket.Priority == PriorityClass.Ordinary)
        {
            if (order.OrdinaryFirst.Contains(ticket.ServiceId) && await db.Tickets.WaitingFor(counter.BranchId, counter.Id, day,
                    counter.Services.Select(s => s.Id).ToList()).AnyAsync(t => t.Priority == PriorityClass.Preferential, ct))
                ticket.CalledByFairnessRule(ticket.AgentId!, streak, now);
            await row.ExecuteUpdateAsync(s => s.SetProperty(c => c.PreferentialStreak, 0), ct);
        }
    }

    public Task<Ticket> RecallAsync(long ticketId, int version, string agentId, CancellationToken ct = default) =>
        ActAsync(ticketId, version, (t, now) => t.Recall(agentId, now), ct);

    public Task<Ticket> StartAsync(long ticketId, int version, string agentId, CancellationToken ct = default) =>
        ActAsync(ticketId, version, (t, now) => t.Start(agentId, now), ct);

    public Task<Ticket> CompleteAsync(long ticketId, int version, string agentId, string? note, CancellationToken ct = default) =>
        ActAsync(ticketId, version, (t, now) => t.Complete(agentId, now, note), ct);

    public Task<Ticket> NoShowAsync(long ticketId, int version, string agentId, CancellationToken ct = default) =>
        ActAsync(ticketId, version, (t, now) => t.MarkNoShow(agentId, now), ct);

    public async Task<Ticket> TransferAsync(long ticketId, int version, string agentId, int serviceId, int? targetCounterId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var branchId = await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.BranchId).FirstOrDefaultAsync(ct);
            var config = await configuration.GetAsync(c => c.Services.ContainsKey(serviceId) && (targetCounterId is not int id || c.Counters.ContainsKey(id)));
            if (config.ServiceAt(branchId, serviceId) is not { IsActive: true })
                throw new DomainException("Ticket.TransferServiceNotAtBranch");
            if (targetCounterId is int counterId && !(config.Counters.GetValueOrDefault(counterId) is { } target
                    && target.BranchId == branchId && target.Services.Any(s => s.Id == serviceId)))
                throw new DomainException("Ticket.TransferCounterLacksService");
        }
        return await ActAsync(ticketId, version, (t, now) => t.Transfer(agentId, serviceId, targetCounterId, now), ct);
    }

    async Task<Ticket> ActAsync(long ticketId, int version, Action<Ticket, DateTime> act, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await TicketRead.For(db)(db, ticketId, ct) ?? throw new DomainException("Ticket.Gone");
        if (ticket.Version != version)
            throw new StaleStateException("Ticket.ChangedMeanwhile", ticket.Number);
        act(ticket, clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleStateException("Ticket.ChangedMeanwhile", ticket.Number);
        }
        return ticket;
    }

    /// <summary>Day close: see <see cref="SweepClosingAsync"/> (kept for its callers).</summary>
    public Task<int> ExpireLeftoversAsync(CancellationToken ct = default) => SweepClosingAsync(ct);
}
