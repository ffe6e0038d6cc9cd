using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Supervision;
using KpiRow = TurnoDigital.Core.Reporting.KpiRow;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>
/// Issue 15 §4: one KPI source. A small day played through the real transitions on a fake clock (so the seconds are those the
/// entities stored), then read through the supervisor panel and the channel report: the same numbers, worked out by hand.
/// </summary>
public class OneKpiSourceTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static readonly DateOnly Day = new(2026, 11, 25);

    /// <summary>
    /// Wednesday, Bogotá (targets: Caja 10 min, Información 10 min, Trámites 20 min):
    ///   10:00 K1 kiosk Caja · 10:01 K2 kiosk Información · 10:02 W1 WhatsApp remote Caja (in line at once)
    ///   10:03 R1 web remote Trámites (must confirm arrival; never does) · 10:04 P1 API Información
    ///   10:05 V1 calls K1 (wait 300 s), starts · 10:06 V3 calls K2 (300 s), starts · 10:09 K1 completed (240 s)
    ///   10:10 K2 transferred to Caja (segment 1 served 240 s) · 10:12 V1 calls K2 (it keeps its place; segment 2 wait 120 s), starts
    ///   10:13 V3 calls P1 (540 s), starts · 10:14 K4 kiosk Información · 10:15 K2 completed (180 s)
    ///   10:16 V1 calls W1 (840 s, over target) · 10:17 recall · 10:18 no-show · 10:19 K3 kiosk Caja
    ///   10:20 P1 completed (420 s) · 10:21 V3 calls K4 (420 s), starts · 10:30 day closed: K3 expires (walk-out),
    ///   K4 is closed by the system (served, no service time), R1 ends not arrived. Ratings: K1 5, K2 4, P1 2.
    /// </summary>
    async Task PlayDayAsync()
    {
        var caja = await h.ServiceAsync("Caja");
        var info = await h.ServiceAsync("Información");
        var tramites = await h.ServiceAsync("Trámites y certificados");
        var (v1, v3) = ((await h.CounterAsync("Ventanilla 1")).Id, (await h.CounterAsync("Ventanilla 3")).Id);
        void Minute(int m) => h.Clock.SetUtcNow(CoreHarness.Start.AddMinutes(m));
        async Task<Ticket> Call(int counter, string agent, string expected)
        {
            var t = (await h.Queue.CallNextAsync(counter, agent))!;
            Assert.Equal(expected, t.Code);
            return await h.Queue.StartAsync(t.Id, t.Version, agent);
        }

        var k1 = (await h.IssueAsync("Caja")).Code;
        Minute(1); var k2 = (await h.IssueAsync("Información")).Code;
        Minute(2); var w1 = (await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(caja.BranchId, caja.Id, Channel.WhatsApp, Guid.NewGuid(), "3001234567", true, true))).Code;
        Minute(3);
        var r1 = await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(tramites.BranchId, tramites.Id, Channel.Web, Guid.NewGuid(), "3007654321", true, true,
            new IntakeInput(DocumentType.CC, "1020304050", "Ana María Ríos", "300 765 4321", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" })));
        Assert.Equal(TicketStatus.Remote, (await h.TicketAsync(r1.Code)).Status);
        Minute(4); var p1 = (await h.Queue.IssueAsync(new IssueTicketRequest(info.BranchId, info.Id, Channel.Api, Guid.NewGuid()))).Code;

        Minute(5); var t1 = await Call(v1, "agent-1", k1);
        Minute(6); var t2 = await Call(v3, "agent-3", k2);
        Minute(9); await h.Queue.CompleteAsync(t1.Id, t1.Version, "agent-1", null);
        Minute(10); await h.Queue.TransferAsync(t2.Id, t2.Version, "agent-3", caja.Id, null);
        Minute(12); t2 = await Call(v1, "agent-1", k2);
        Minute(13); var t3 = await Call(v3, "agent-3", p1);
        Minute(14); var k4 = (await h.IssueAsync("Información")).Code;
        Minute(15); await h.Queue.CompleteAsync(t2.Id, t2.Version, "agent-1", null);
        Minute(16);
        var t4 = (await h.Queue.CallNextAsync(v1, "agent-1"))!;
        Assert.Equal(w1, t4.Code);
        Minute(17); t4 = await h.Queue.RecallAsync(t4.Id, t4.Version, "agent-1");
        Minute(18); await h.Queue.NoShowAsync(t4.Id, t4.Version, "agent-1");
        Minute(19); await h.IssueAsync("Caja");
        Minute(20); await h.Queue.CompleteAsync(t3.Id, t3.Version, "agent-3", null);
        Minute(21); await Call(v3, "agent-3", k4);
        Minute(30);
        await using (var db = h.Db())
        {
            var supervisor = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
            await h.Queue.CloseDayAsync(caja.BranchId, supervisor, "Fin de la prueba");
        }
        await using (var db = h.Db())
        {
            foreach (var (code, score) in new[] { (k1, 5), (k2, 4), (p1, 2) })
                (await db.Tickets.SingleAsync(t => t.Code == code)).Rate(score, Channel.WhatsApp, h.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task The_transitions_store_each_segments_wait_and_service_seconds()
    {
        await PlayDayAsync();
        await using var db = h.Db();
        var k2 = await db.Tickets.Include(t => t.Segments).SingleAsync(t => t.Number == "B-001");
        Assert.Equal((120, 180, 420), (k2.WaitSeconds, k2.ServiceSeconds, k2.VisitWaitSeconds)); // segment 2 in Caja; the visit 300 + 120
        var first = Assert.Single(k2.Segments);
        Assert.Equal((300, 240), (first.WaitSeconds, first.ServiceSeconds));                   // segment 1 in Información, ended by the transfer
        var k4 = await db.Tickets.SingleAsync(t => t.Number == "B-003");
        Assert.Equal((420, (int?)null, true), (k4.WaitSeconds, k4.ServiceSeconds, k4.ClosedBySystem)); // no service time when the system closed it
        Assert.Equal(TicketStatus.NotArrived, (await db.Tickets.SingleAsync(t => t.Channel == Channel.Web)).Status);
    }

    [Fact]
    public async Task The_migration_backfill_gives_the_seconds_the_transitions_stored()
    {
        await PlayDayAsync();
        await using var db = h.Db();
        async Task<string> SecondsAsync() => string.Join(" ",
            (await db.Tickets.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Number, t.WaitSeconds, t.ServiceSeconds, t.VisitWaitSeconds }).ToListAsync())
                .Concat<object>(await db.TicketSegments.AsNoTracking().OrderBy(g => g.Id).Select(g => new { g.TicketId, g.WaitSeconds, g.ServiceSeconds }).ToListAsync()));
        var stored = await SecondsAsync();
        Assert.Contains("WaitSeconds = 840", stored);
        await db.Tickets.ExecuteUpdateAsync(s => s.SetProperty(t => t.WaitSeconds, (int?)null).SetProperty(t => t.ServiceSeconds, (int?)null).SetProperty(t => t.VisitWaitSeconds, (int?)null));
        await db.TicketSegments.ExecuteUpdateAsync(s => s.SetProperty(g => g.WaitSeconds, (int?)null).SetProperty(g => g.ServiceSeconds, (int?)null));
        Assert.DoesNotContain("WaitSeconds = 840", await SecondsAsync());

        await db.Database.ExecuteSqlRawAsync(TurnoDigital.Core.Persistence.KpiSecondsBackfill.Sql(db.Database.ProviderName));
        Assert.Equal(stored, await SecondsAsync());
    }

    [Fact]
    public async Task The_panel_and_the_report_give_the_same_hand_worked_numbers()
    {
        await PlayDayAsync();
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        var panel = await h.Services.GetRequiredService<PanelQueries>().GetTodayAsync(branchId);
        var report = await h.Services.GetRequiredService<ChannelReportService>().ComputeAsync(new ReportFilter(Day, Day, [branchId], []));
        Assert.Equal(Day, panel.Day);

        // Per channel: visits, called, avg/p90 wait (s), served, avg service (s), service level, walk-outs, no-shows, not arrived, ratings, avg rating.
        // Kiosk: K1, K2, K3, K4. Visit waits 300, 420 (300 + 120), 420: avg 380, p90 rank ⌈2.7⌉ = 3 → 420. Service 240 + (240 + 180)
        //   over the 2 timed visits (K4's was closed by the system) = 330. Service level: segments 300 (Caja), 300 (Info), 120 (Caja),
        //   420 (Info) all within 10 min → 4/4.
        // WhatsApp: W1 waited 840 > 600 → 0/1; a no-show. Web: R1 never arrived (not a visit, not a walk-out). Api: P1 540 ≤ 600, served 420.
        var expected = new Dictionary<Channel, Figures>
        {
            [Channel.Kiosk] = new(4, 3, 380, 420, 3, 330, 1.0, 1, 0, 0, 2, 4.5),
            [Channel.WhatsApp] = new(1, 1, 840, 840, 0, null, 0.0, 0, 1, 0, 0, null),
            [Channel.Web] = new(0, 0, null, null, 0, null, null, 0, 0, 1, 0, null),
            [Channel.InPerson] = new(0, 0, null, null, 0, null, null, 0, 0, 0, 0, null),
            [Channel.Api] = new(1, 1, 540, 540, 1, 420, 1.0, 0, 0, 0, 1, 2),
        };
        foreach (var (channel, figures) in expected)
        {
            Assert.Equal(figures.Norm(), Of(report.ByChannel.Single(r => r.Channel == channel)));
            Same(report.ByChannel.Single(r => r.Channel == channel), panel.ByChannel.Single(r => r.Key == channel.ToString()));
        }

        // Per service (segments): Caja K1 300, K2 120, W1 840 (+ K3 never called): avg 420, p90 840, served K1 and K2 (240, 180 → 210),
        //   within target 2/3. Información: K2's first segment 300, P1 540, K4 420: avg 420, p90 540, served P1 and K4, timed 240 (K2's
        //   first segment) and 420 (P1) → 330; 3/3. Trámites: only R1, not arrived.
        Assert.Equal(new Figures(4, 3, 420, 840, 2, 210, 2 / 3.0, 1, 1, 0, 2, 4.5).Norm(), Of(report.ByService.Single(r => r.Label == "Caja")));
        Assert.Equal(new Figures(3, 3, 420, 540, 2, 330, 1.0, 0, 0, 0, 1, 2).Norm(), Of(report.ByService.Single(r => r.Label == "Información")));
        Assert.Equal(new Figures(0, 0, null, null, 0, null, null, 0, 0, 1, 0, null).Norm(), Of(report.ByService.Single(r => r.Label == "Trámites y certificados")));
        foreach (var name in new[] { "Caja", "Información", "Trámites y certificados" })
            Same(report.ByService.Single(r => r.Label == name), panel.ByService.Single(r => r.Key == name));
        Assert.Equal((10, 80), (report.ByService.Single(r => r.Label == "Caja").TargetWaitMinutes, panel.ByService.Single(r => r.Key == "Caja").ServiceLevelGoalPercent));

        // Total: visit waits 300, 420, 420, 540, 840 → avg 504, p90 rank ⌈4.5⌉ = 5 → 840; served 4, service (660 + 420) / 3 = 360;
        //   5 of 6 called segments within target; ratings 5, 4, 2 → 11/3.
        Assert.Equal(new Figures(6, 5, 504, 840, 4, 360, 5 / 6.0, 1, 1, 1, 3, 11 / 3.0).Norm(), Of(report.Total));
        Same(report.Total, panel.Total);
        Assert.Equal(420, report.Total.WaitP50Seconds);

        // The panel's histogram of the same visit waits (minutes 5, 7, 7, 9, 14) and its arrivals (the one that never arrived is not one).
        Assert.Equal([0, 4, 1, 0, 0, 0, 0, 0], panel.WaitDistribution.Select(b => b.Count));
        Assert.Equal(6, panel.ArrivalsByHour.Values.Sum(h => h.Sum()));
        Assert.Equal(6, report.Daily.Single().PerChannel.Sum());
    }

    sealed record Figures(int Visits, int Called, double? AvgWait, int? P90Wait, int Served, double? AvgService, double? ServiceLevel,
        int WalkOuts, int NoShows, int NotArrived, int Ratings, double? AvgRating)
    {
        /// <summary>Fractions compared to 9 decimals (2/3 from counts and 2/3.0 written by hand differ in the last bit).</summary>
        public Figures Norm() => this with { AvgWait = Round(AvgWait), AvgService = Round(AvgService), ServiceLevel = Round(ServiceLevel), AvgRating = Round(AvgRating) };
    }

    static Figures Of(KpiRow r) => new Figures(r.Visits, r.Called, r.WaitAvgSeconds, r.WaitP90Seconds, r.Served, r.ServiceAvgSeconds, r.ServiceLevel,
        r.WalkOuts, r.TicketNoShows, r.NotArrived, r.Ratings, r.RatingAvg).Norm();

    static double? Round(double? v) => v is { } x ? Math.Round(x, 9) : null;

    /// <summary>The panel shows the report's figures (its waits in minutes).</summary>
    static void Same(KpiRow report, TurnoDigital.Core.Supervision.KpiRow panel)
    {
        Assert.Equal((report.Visits, report.Called, report.Served, report.Ratings, report.NotArrived), (panel.Visitors, panel.Called, panel.Served, panel.Ratings, panel.NotArrived));
        Assert.Equal(report.WaitAvgSeconds / 60, panel.AvgWaitMinutes);
        Assert.Equal(report.WaitP90Seconds / 60.0, panel.P90WaitMinutes);
        Assert.Equal(report.ServiceAvgSeconds / 60, panel.AvgServiceMinutes);
        Assert.Equal(report.ServiceLevel, panel.ServiceLevel);
        Assert.Equal(report.RatingAvg, panel.AvgRating);
    }
}
