using TurnoDigital.Core.Customers;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Queueing;

/// <summary>
/// A ticket taken before arriving (web /fila or WhatsApp). The phone is required (that is how the person follows it);
/// a document only if the service's intake asks for it. <paramref name="DataPolicyAccepted"/> is the Ley 1581 acceptance.
/// </summary>
public sealed record RemoteTicketRequest(
    int BranchId, int ServiceId, Channel Channel, Guid RequestId, string? Phone, bool WhatsAppConsent, bool DataPolicyAccepted,
    IntakeInput? Intake = null);

/// <summary>What "Llegué" found: the tickets now in line, or (when <see cref="AlreadyInLine"/>) the ones that already were. Empty: nothing found.</summary>
public sealed record ArrivalResult(IReadOnlyList<TicketStatusView> Tickets, bool AlreadyInLine);

/// <summary>The virtual queue: remote issue, arrival and cancellation.</summary>
public sealed partial class QueueService
{
    public Task<TicketStatusView> IssueRemoteAsync(RemoteTicketRequest request, CancellationToken ct = default) =>
        IssueRemoteAsync(request, Status, ct);

    /// <summary><see cref="IssueRemoteAsync"/> without the status view: the new ticket's code, for the simulation.</summary>
    internal Task<string> IssueRemoteCodeAsync(RemoteTicketRequest request, CancellationToken ct = default) => IssueRemoteAsync(request, Code, ct);

    Task<T> IssueRemoteAsync<T>(RemoteTicketRequest request, Func<TurnoDbContext, Ticket, CancellationToken, Task<T>> answer, CancellationToken ct)
    {
        if (request.Channel is not (Channel.Web or Channel.WhatsApp))
            throw new ArgumentException("Remote tickets come from the web or WhatsApp.", nameof(request));
        if (!request.DataPolicyAccepted)
            throw new DomainException("Remote.DataPolicyRequired");
        var phone = string.IsNullOrWhiteSpace(request.Phone) ? null : WhatsAppPhone(request.Phone);
        return IssueCoreAsync(new IssueTicketRequest(request.BranchId, request.ServiceId, request.Channel, request.RequestId,
            WhatsAppPhone: phone?.Value, WhatsAppConsent: request.WhatsAppConsent, Intake: request.Intake, DataPolicyAccepted: true), phone, remote: true, answer, ct);
    }

    /// <summary>Remote tickets still to be served (not yet arrived, or in line).</summary>
    internal static IQueryable<Ticket> ActiveRemote(IQueryable<Ticket> tickets, int serviceId, DateOnly day) => tickets.Where(RemoteInLine.For((serviceId, day)));

    /// <summary><see cref="ActiveRemote(IQueryable{Ticket}, int, DateOnly)"/> over tickets in memory (the live views).</summary>
    internal static IEnumerable<Ticket> ActiveRemote(IEnumerable<Ticket> tickets, int serviceId, DateOnly day) => tickets.Where(RemoteInLine.InMemory((serviceId, day)));

    static readonly TicketRule<(int ServiceId, DateOnly Day), bool> RemoteInLine = new((t, v) => t.ServiceId == v.ServiceId && t.ServiceDay == v.Day
        && t.AppointmentId == null && (t.Channel == Channel.Web || t.Channel == Channel.WhatsApp)
        && (t.Status == TicketStatus.Remote || t.Status == TicketStatus.Waiting));

    /// <summary>
    /// The cap on remote tickets waiting at once; one active remote ticket per phone or document per service; and the day's
    /// cap per phone and per document over all services. The refusals per phone or document share one neutral message:
    /// they must not tell a stranger whether a number or a document holds a ticket.
    /// </summary>
    internal async Task EnsureRemoteRoomAsync(TurnoDbContext db, Service service, DateOnly day, PhoneNumber phone, IntakeValue? intake, CancellationToken ct)
    {
        if (await ActiveRemote(db.Tickets, service.Id, day).CountAsync(ct) >= service.RemoteTicketCap)
            throw new DomainException("Remote.NoCapacity");
        var doc = intake?.Document?.Number;
        var docType = intake?.Document?.Type;
        var remote = db.Tickets.Where(t => t.AppointmentId == null && (t.Channel == Channel.Web || t.Channel == Channel.WhatsApp)
            && (t.ContactPhone == phone || (doc != null && t.Customer!.Document!.Type == docType && t.Customer.Document.Number == doc)));
        if (await remote.AnyAsync(t => t.ServiceId == service.Id
                && (t.Status == TicketStatus.Remote || t.Status == TicketStatus.Waiting || t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving), ct)
            || await remote.CountAsync(t => t.ServiceDay == day, ct) >= Math.Max(1, limits.CurrentValue.RemoteTicketsPerDay))
            throw new DomainException("Remote.LimitReached");
    }

    /// <summary>
    /// "Llegué": today's remote tickets at the branch for a ticket code (typed, or the /t/ link a scanner reads) or a document
    /// number move into the line (<see cref="Ticket.ConfirmArrival"/>). A document may hold remote tickets of several services; all arrive.
    /// </summary>
    /// <remarks>A document is matched with its type when <paramref name="documentType"/> is given (CC 123 and TI 123 are different people).</remarks>
    public async Task<ArrivalResult> ConfirmArrivalAsync(int branchId, string? codeOrDocument, Channel channel, string? actorId = null,
        DocumentType? documentType = null, CancellationToken ct = default)
    {
        var (code, document) = ParseArrivalInput(codeOrDocument);
        if (code is null && document is null) return new ArrivalResult([], false);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct);
        if (branch is null) return new ArrivalResult([], false);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = BranchTime.LocalDay(now, branch.Zone);
        var mine = db.Tickets.Where(t => t.BranchId == branchId && t.ServiceDay == today && t.AppointmentId == null
            && (t.Channel == Channel.Web || t.Channel == Channel.WhatsApp)
            && (t.Code == code || (document != null && t.Customer!.Document!.Number == document
                && (documentType == null || t.Customer.Document.Type == documentType))));
        var remote = await mine.Where(t => t.Status == TicketStatus.Remote).OrderBy(t => t.IssuedAt).ToListAsync(ct);
        if (remote.Count == 0)
        {
            var inLine = await mine.Where(t => t.Status == TicketStatus.Waiting || t.Status == TicketStatus.Called)
                .Select(t => t.Code).ToListAsync(ct);
            var views = new List<TicketStatusView>();
            foreach (var c in inLine) views.Add((await queries.GetStatusAsync(c, ct))!);
            return new ArrivalResult(views, AlreadyInLine: views.Count > 0);
        }
        var serviceIds = remote.Select(t => t.ServiceId).Distinct().ToList();
        var fairness = await db.Services.Where(s => serviceIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.RemoteFairnessMinutes, ct);
        foreach (var t in remote) t.ConfirmArrival(now, fairness[t.ServiceId], channel, actorId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleStateException("Ticket.AlreadyCheckedIn");
        }
        var result = new List<TicketStatusView>();
        foreach (var t in remote) result.Add((await queries.GetStatusAsync(t.Code, ct))!);
        return new ArrivalResult(result, AlreadyInLine: false);
    }

    /// <summary>A ticket code (alone or inside a scanned ticket link) or a document number without separators.</summary>
    public static (string? Code, string? Document) ParseArrivalInput(string? input)
    {
        var text = (input ?? "").Trim();
        if (text.Length is < 3 or > 200) return (null, null);
        if (PublicLinks.TicketCodeFrom(text) is { } linked)
            return linked.Length is > 0 and <= Ticket.CodeMax ? (linked, null) : (null, null);
        var compact = new string(text.Where(char.IsLetterOrDigit).ToArray());
        if (compact.Length is < 3 or > 20) return (null, null);
        // Codes are 10 lower-case letters and digits; documents are matched as stored (digits, upper-case letters).
        var code = compact.Length == 10 && compact.Any(char.IsLetter) ? compact.ToLowerInvariant() : null;
        return (code, compact.ToUpperInvariant());
    }

    /// <summary>The holder (or the bot on their behalf) gives up a remote ticket that has not been called: the place is freed.</summary>
    public async Task<TicketStatusView> CancelRemoteAsync(string code, Channel channel, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Code == code, ct) ?? throw new DomainException("Ticket.CodeNotFound");
        if (!ticket.IsRemote) throw new DomainException("Ticket.CancelAtBranch");
        var now = clock.GetUtcNow().UtcDateTime;
        ticket.Cancel(now, channel);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleStateException("Ticket.ChangedMeanwhile", ticket.Number);
        }
        return (await queries.GetStatusAsync(code, ct))!;
    }
}
