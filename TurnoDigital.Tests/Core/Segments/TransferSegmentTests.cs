using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.Segments;

/// <summary>Issue 14 §2: a transfer starts a new segment (messages, order, journey, KPIs), on a fake clock.</summary>
public class TransferSegmentTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    WhatsAppOptions Options => h.Services.GetRequiredService<IOptionsMonitor<WhatsAppOptions>>().CurrentValue;

    async Task<TicketStatusView> IssueWithPhoneAsync(string service)
    {
        var s = await h.ServiceAsync(service);
        return await h.Queue.IssueAsync(new IssueTicketRequest(s.BranchId, s.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3001234567", WhatsAppConsent: true));
    }

    async Task<Ticket> CallAsync(string counter, string agent) => (await h.Queue.CallNextAsync((await h.CounterAsync(counter)).Id, agent))!;

    async Task<List<OutboxMessage>> OutboxAsync(MessageKind kind)
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == kind).OrderBy(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task A_transfer_starts_a_segment_whose_turn_near_and_called_messages_go_out_again_and_keeps_the_arrival_order()
    {
        (Options.TurnNearPeopleAhead, Options.TurnNearMinutes) = (1, 1);
        var x = await h.IssueAsync("Información");              // B-001, 10:00
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var mine = await IssueWithPhoneAsync("Caja");           // A-001, 10:01
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var y = await h.IssueAsync("Información");              // B-002, 10:02, after me

        var called = await CallAsync("Ventanilla 2", "agent-2"); // Caja only there
        Assert.Equal(mine.Code, called.Code);
        var info = await h.ServiceAsync("Información");
        await h.Queue.TransferAsync(called.Id, called.Version, "agent-2", info.Id, null);

        // In Información I keep my 10:01 arrival: after B-001, before B-002.
        var first = await CallAsync("Ventanilla 3", "agent-3");
        Assert.Equal(x.Code, first.Code);
        var near = await OutboxAsync(MessageKind.TurnNear);
        var again = Assert.Single(near, m => m.Status == OutboxStatus.Pending);
        Assert.Equal($"ticket:{mine.Code}:s2:near", again.DedupeKey);
        Assert.Contains(near, m => m.DedupeKey == $"ticket:{mine.Code}:near"); // segment 1's, told at issue

        first = await h.Queue.StartAsync(first.Id, first.Version, "agent-3");
        await h.Queue.CompleteAsync(first.Id, first.Version, "agent-3", null);
        var second = await CallAsync("Ventanilla 3", "agent-3");
        Assert.Equal(mine.Code, second.Code);
        Assert.NotEqual(y.Code, second.Code);
        Assert.Equal(2, second.Segment);

        var calls = await OutboxAsync(MessageKind.TicketCalled);
        Assert.Equal([$"ticket:{mine.Code}:called:1", $"ticket:{mine.Code}:s2:called:1"], calls.Select(m => m.DedupeKey));
        Assert.All(calls, m => Assert.Equal(OutboxStatus.Pending, m.Status));

        // The journey knows each step's segment; the closed segment is kept.
        await using var db = h.Db();
        var steps = await db.JourneyEvents.Where(e => e.TicketId == second.Id).OrderBy(e => e.Id).Select(e => new { e.Kind, e.Segment }).ToListAsync();
        Assert.Equal(1, steps.Single(s => s.Kind == JourneyEventKind.TicketTransferred).Segment);
        Assert.Equal([1, 2], steps.Where(s => s.Kind == JourneyEventKind.TicketCalled).Select(s => s.Segment));
        var closed = await db.TicketSegments.SingleAsync(s => s.TicketId == second.Id);
        Assert.Equal((1, (await h.ServiceAsync("Caja")).Id), (closed.Number, closed.ServiceId));

        // The supervisor's journey view labels each step with its segment.
        var scope = await h.Services.GetRequiredService<PanelQueries>().ScopeAsync(null, isAdmin: true);
        var journey = await h.Services.GetRequiredService<JourneyTrace>().SearchAsync("3001234567", scope, "admin-1", "Admin");
        var calledSteps = journey.Timeline.Where(i => i.Event == JourneyEventKind.TicketCalled).OrderBy(i => i.Segment).ToList(); // same instant on the fake clock
        Assert.Equal([(1, "Caja"), (2, "Información")], calledSteps.Select(i => (i.Segment ?? 0, i.ServiceName ?? "")));
    }

    /// <summary>
    /// 10:00 issued in Caja; 10:04 called (wait 4); 10:05 started; 10:08 transferred to Información (service 3);
    /// 10:10 called there (wait 2); 10:11 started; 10:17 completed (service 6).
    /// </summary>
    async Task<Ticket> TransferredVisitAsync()
    {
        await h.IssueAsync("Caja");
        h.Clock.Advance(TimeSpan.FromMinutes(4));
        var t = await CallAsync("Ventanilla 2", "agent-2");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        t = await h.Queue.StartAsync(t.Id, t.Version, "agent-2");
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        t = await h.Queue.TransferAsync(t.Id, t.Version, "agent-2", (await h.ServiceAsync("Información")).Id, null);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        t = await CallAsync("Ventanilla 3", "agent-3");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        t = await h.Queue.StartAsync(t.Id, t.Version, "agent-3");
        h.Clock.Advance(TimeSpan.FromMinutes(6));
        return await h.Queue.CompleteAsync(t.Id, t.Version, "agent-3", null);
    }

    static void Near(double expected, double? actual) => Assert.True(actual is { } a && Math.Abs(a - expected) < 0.001, $"expected {expected}, got {actual}");

    [Fact]
    public async Task Panel_counts_waits_and_service_per_segment_per_service_and_the_visit_once_per_channel()
    {
        var t = await TransferredVisitAsync();
        var today = await h.Services.GetRequiredService<PanelQueries>().GetTodayAsync(t.BranchId);

        var caja = today.ByService.Single(r => r.Key == "Caja");
        (int, int) CountsOf(TurnoDigital.Core.Supervision.KpiRow r) => (r.Visitors, r.Called);
        Assert.Equal((1, 1), CountsOf(caja));
        Near(4, caja.AvgWaitMinutes);
        Near(3, caja.AvgServiceMinutes);
        var info = today.ByService.Single(r => r.Key == "Información");
        Assert.Equal((1, 1), CountsOf(info));
        Near(2, info.AvgWaitMinutes);
        Near(6, info.AvgServiceMinutes);

        var kiosk = today.ByChannel.Single(r => r.Key == "Kiosk");
        Assert.Equal((1, 1, 1), (kiosk.Visitors, kiosk.Called, kiosk.Served)); // one visit, not two
        Near(6, kiosk.AvgWaitMinutes);      // 4 + 2: a visit's segments add up
        Near(6, kiosk.P90WaitMinutes);
        Near(9, kiosk.AvgServiceMinutes);   // 3 + 6
        Assert.Equal(1, today.Total.Visitors);
        Assert.Equal(1, today.WaitDistribution.Single(b => b.FromMinutes == 5).Count); // the visit's 6 minutes, in [5, 10)
    }

    [Fact]
    public async Task Channel_report_counts_waits_and_service_per_segment_per_service_and_the_visit_once_per_channel()
    {
        var t = await TransferredVisitAsync();
        var report = await h.Services.GetRequiredService<ChannelReportService>().ComputeAsync(new ReportFilter(t.ServiceDay, t.ServiceDay, [t.BranchId], []));

        var kiosk = report.ByChannel.Single(r => r.Channel == Channel.Kiosk);
        Assert.Equal((1, 1, 1), (kiosk.Visits, kiosk.Called, kiosk.Served));
        Assert.Equal((360.0, 360, 540.0), (kiosk.WaitAvgSeconds, kiosk.WaitP50Seconds, kiosk.ServiceAvgSeconds));
        Assert.Equal(1, report.Total.Visits);
        Assert.Equal(1, report.Daily.Single().PerChannel[(int)Channel.Kiosk]);

        var caja = report.ByService.Single(r => r.Label == "Caja");
        Assert.Equal((240.0, 180.0, 1), (caja.WaitAvgSeconds, caja.ServiceAvgSeconds, caja.Visits));
        var info = report.ByService.Single(r => r.Label == "Información");
        Assert.Equal((120.0, 360.0, 1, 1), (info.WaitAvgSeconds, info.ServiceAvgSeconds, info.Visits, info.Served));
    }
}
