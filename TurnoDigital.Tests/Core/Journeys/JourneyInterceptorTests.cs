using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.Journeys;

/// <summary>What the entities record reaches the journey, the audit trail and the screens only through the save that commits it.</summary>
public class JourneyInterceptorTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    DateTime Now => h.Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_rolled_back_transaction_publishes_and_writes_nothing_a_committed_one_publishes_once_after_commit()
    {
        var issued = await h.IssueAsync("Caja");
        var counter = await h.CounterAsync("Ventanilla 1");
        h.Notifier.Events.Clear();

        await using (var db = h.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var ticket = await db.Tickets.SingleAsync(t => t.Code == issued.Code);
            ticket.Call(counter.Id, "agent-x", Now);
            await db.SaveChangesAsync();
            Assert.Empty(h.Notifier.Events); // saved, but not committed yet
            await tx.RollbackAsync();
        }
        Assert.Empty(h.Notifier.Events);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(issued.Code)).Status);
        await using (var db = h.Db())
            Assert.False(await db.JourneyEvents.AnyAsync(e => e.Kind == JourneyEventKind.TicketCalled));

        await using (var db = h.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var ticket = await db.Tickets.SingleAsync(t => t.Code == issued.Code);
            ticket.Call(counter.Id, "agent-x", Now);
            await db.SaveChangesAsync();
            Assert.Empty(h.Notifier.Events);
            await tx.CommitAsync();
        }
        var e = Assert.Single(h.Notifier.Events);
        Assert.Equal((QueueEventKind.TicketCalled, (long?)(await h.TicketAsync(issued.Code)).Id), (e.Kind, e.TicketId));
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_publishes_nothing_later()
    {
        var issued = await h.IssueAsync("Caja");
        h.Notifier.Events.Clear();
        await using (var db = h.Db())
        {
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                var ticket = await db.Tickets.SingleAsync(t => t.Code == issued.Code);
                ticket.Cancel(Now, Channel.Kiosk);
                await db.SaveChangesAsync();
            } // disposed: rolled back
            await using (var tx = await db.Database.BeginTransactionAsync())
                await tx.CommitAsync(); // an unrelated transaction must not carry the earlier events
        }
        Assert.Empty(h.Notifier.Events);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(issued.Code)).Status);
    }

    [Fact]
    public async Task A_failed_save_publishes_nothing_and_the_journey_stays_clean()
    {
        var issued = await h.IssueAsync("Caja");
        h.Notifier.Events.Clear();
        await using (var db = h.Db())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Code == issued.Code);
            ticket.Cancel(Now, Channel.Kiosk);
            var existing = await db.TicketNumberCounters.AsNoTracking().FirstAsync();
            db.TicketNumberCounters.Add(new TicketNumberCounter { BranchId = existing.BranchId, ServiceId = existing.ServiceId, Day = existing.Day, LastSequence = 9 });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        Assert.Empty(h.Notifier.Events);
        await using (var db = h.Db())
            Assert.False(await db.JourneyEvents.AnyAsync(e => e.Kind == JourneyEventKind.TicketCancelled));
    }

    [Fact]
    public async Task Each_desk_transition_records_its_event_audits_what_is_sensitive_and_reaches_the_screens()
    {
        var issued = await h.IssueAsync("Caja");
        var counter = await h.CounterAsync("Ventanilla 1");
        var info = await h.ServiceAsync("Información");
        var caja = await h.ServiceAsync("Caja");
        h.Notifier.Events.Clear();

        var t = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
        t = await h.Queue.RecallAsync(t.Id, t.Version, "agent-1");
        t = await h.Queue.TransferAsync(t.Id, t.Version, "agent-1", info.Id, null);
        t = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
        Assert.Equal(issued.Code, t.Code);
        t = await h.Queue.RecallAsync(t.Id, t.Version, "agent-1");
        await h.Queue.NoShowAsync(t.Id, t.Version, "agent-1");

        await using var db = h.Db();
        var kinds = await db.JourneyEvents.Where(e => e.TicketId == t.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        Assert.Equal([JourneyEventKind.TicketIssued, JourneyEventKind.TicketCalled, JourneyEventKind.TicketRecalled, JourneyEventKind.TicketTransferred,
            JourneyEventKind.TicketCalled, JourneyEventKind.TicketRecalled, JourneyEventKind.TicketNoShow], kinds);
        var transfer = await db.JourneyEvents.SingleAsync(e => e.TicketId == t.Id && e.Kind == JourneyEventKind.TicketTransferred);
        // Logged where it happened: the counter and the service it left.
        Assert.Equal(((int?)counter.Id, (int?)caja.Id), (transfer.CounterId, transfer.ServiceId));
        var audits = await db.AuditEntries.Where(a => a.EntityId == t.Id.ToString()).OrderBy(a => a.Id).Select(a => new { a.Action, a.ActorId, a.Entity }).ToListAsync();
        Assert.Equal([new { Action = AuditActions.TicketTransferred, ActorId = (string?)"agent-1", Entity = "Ticket" },
            new { Action = AuditActions.TicketNoShow, ActorId = (string?)"agent-1", Entity = "Ticket" }], audits);
        Assert.Equal([QueueEventKind.TicketCalled, QueueEventKind.TicketCalled, QueueEventKind.TicketChanged, QueueEventKind.TicketCalled,
            QueueEventKind.TicketCalled, QueueEventKind.TicketChanged], h.Notifier.Events.Where(e => e.TicketId == t.Id).Select(e => e.Kind));
    }

    [Fact]
    public async Task Counter_sessions_announce_every_change()
    {
        var counter = await h.CounterAsync("Ventanilla 1");
        h.Notifier.Events.Clear();
        await h.Services.AgentsAsync("agent-1");
        await h.Sessions.OpenAsync(counter.Id, "agent-1");
        await h.Sessions.PauseAsync(counter.Id, "agent-1", "Almuerzo");
        await h.Sessions.ResumeAsync(counter.Id, "agent-1");
        await h.Sessions.CloseAsync(counter.Id, "agent-1");
        Assert.Equal(4, h.Notifier.Events.Count(e => e.Kind == QueueEventKind.AgentChanged && e.BranchId == counter.BranchId));
    }

    /// <summary>The rule of the design: journey rows and live events come from the entities and the interceptor only.</summary>
    [Fact]
    public void No_service_writes_journey_rows_or_publishes_by_hand()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));
        // The Redis notifier is the transport itself: it relays other nodes' events and raises resyncs, never a change of its own.
        var allowed = new[] { "JourneyInterceptor.cs", "JourneyEvent.cs", "RedisQueueNotifier.cs" };
        var pattern = new Regex(@"JourneyLog\.Add|JourneyEvents\.Add|\.Publish\(new QueueEvent|notifier\.Publish\(");
        var files = new[] { "TurnoDigital.Core", "TurnoDigital.Web" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, p), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".razor")) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.True(files.Count > 100, $"scanned only {files.Count} files under {root}");
        var offenders = files.Where(f => !allowed.Contains(Path.GetFileName(f)) && pattern.IsMatch(File.ReadAllText(f))).ToList();
        Assert.Empty(offenders);
    }
}
