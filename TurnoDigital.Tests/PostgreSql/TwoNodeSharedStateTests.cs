using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;
using Xunit.Abstractions;

namespace TurnoDigital.Tests.PostgreSql;

/// <summary>
/// What two nodes on one PostgreSQL database share: the WhatsApp send rate, the scheduled jobs' effects (reminders, daily PDFs)
/// and the one-time demo seeding.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public class TwoNodeSharedStateTests(PostgresCluster cluster, ITestOutputHelper output)
{
    static PostgreSqlTurnoDbContext Db(string connection) => new(new DbContextOptionsBuilder<PostgreSqlTurnoDbContext>().UseNpgsql(connection).Options);

    /// <summary>The built app as a process on <paramref name="connection"/>; <paramref name="folder"/> holds its logs.</summary>
    static ProcessApp StartNode(TempDatabase folder, string connection, IReadOnlyDictionary<string, string?> settings)
    {
        var env = new Dictionary<string, string> { ["Database__Provider"] = "PostgreSql", ["Database__ConnectionString"] = connection };
        foreach (var (key, value) in settings) env[key.Replace(":", "__")] = value ?? "";
        return ProcessApp.Start(folder, ProcessApp.Production(folder, env));
    }

    static async Task WaitForAsync(Func<Task<bool>> condition, int seconds, Func<string> failure)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!await condition())
        {
            if (limit.IsCancellationRequested) Assert.Fail(failure());
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Two_nodes_together_never_send_more_than_MessagesPerSecond_and_send_each_row_once()
    {
        const int perSecond = 20, rows = 300;
        var connection = await cluster.NewDatabaseAsync();
        await using var api = await FakeGraphApi.StartAsync();
        var settings = new Dictionary<string, string?>(api.Settings()) { ["WhatsApp:MessagesPerSecond"] = perSecond.ToString() };
        using TempDatabase folderA = new(), folderB = new();
        await using var a = StartNode(folderA, connection, settings);
        await using var b = StartNode(folderB, connection, settings);
        await Task.WhenAll(a.WaitUntilHealthyAsync(), b.WaitUntilHealthyAsync());

        // Both dispatchers are polling; the rows appear at once, to distinct people with an open 24-hour window.
        await using (var db = Db(connection))
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < rows; i++)
            {
                var to = $"5731{i:00000000}";
                db.WhatsAppContacts.Add(new WhatsAppContact { WaId = to, LastInboundAt = now, StateUpdatedAt = now });
                db.Outbox.Add(new OutboxMessage { DedupeKey = $"rate:{i}", To = to, Kind = MessageKind.Reply, Content = Outbox.Serialize(new OutgoingContent("Hola")), CreatedAt = now, NextAttemptAt = now });
            }
            await db.SaveChangesAsync();
        }

        await WaitForAsync(async () =>
        {
            await using var db = Db(connection);
            return await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent) == rows;
        }, 180, () => $"{api.Requests.Count}/{rows} sent.\nNode A:\n{a.Output}\nNode B:\n{b.Output}");

        var requests = api.Requests.ToList();
        Assert.Equal(rows, requests.Count);
        Assert.Equal(rows, requests.Select(r => r.Body["to"]!.ToString()).Distinct().Count());
        var stamps = requests.Select(r => r.At).Order().ToList();
        // The busiest second as the fake API saw the requests arrive: the window starting at each arrival.
        var busiest = stamps.Select((t, i) => stamps.Skip(i).TakeWhile(u => u - t < TimeSpan.FromSeconds(1)).Count()).Max();
        output.WriteLine($"busiest second at the fake API: {busiest} sends (limit {perSecond}); {rows} sends took {(stamps[^1] - stamps[0]).TotalSeconds:0.0} s");
        Assert.True(busiest <= perSecond, $"{busiest} sends reached the API within one second (limit {perSecond})");
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_an_empty_database_seed_the_demo_once()
    {
        var connection = await cluster.EmptyDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // production refuses the demo
            ["Demo:Seed"] = "true", ["Demo:History"] = "false", ["Demo:Password"] = TurnoWebFactory.Password,
        };
        using TempDatabase folderA = new(), folderB = new();
        await using var a = StartNode(folderA, connection, settings);
        await using var b = StartNode(folderB, connection, settings);
        await Task.WhenAll(a.WaitUntilHealthyAsync(), b.WaitUntilHealthyAsync());

        await using var db = Db(connection);
        Assert.Equal(1, await db.Branches.CountAsync(x => x.Name == TurnoDigital.Core.Demo.DemoSeeder.BranchName));
        var users = await db.Users.AsNoTracking().Select(u => u.NormalizedEmail).ToListAsync();
        Assert.NotEmpty(users);
        Assert.Equal(users.Count, users.Distinct().Count());
        var services = await db.Services.AsNoTracking().Select(s => new { s.BranchId, s.Name }).ToListAsync();
        Assert.Equal(services.Count, services.Distinct().Count());
    }

    sealed class Runs(ConcurrentQueue<(string Job, bool Failed)> runs) : IJobListener
    {
        public string Name => "runs-" + Guid.NewGuid();
        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct = default) => default;
        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct = default) => default;
        public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken ct = default) => default;
        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? error, CancellationToken ct = default)
        {
            runs.Enqueue((context.JobDetail.Key.Name, error is not null));
            return default;
        }
    }

    [Fact]
    public async Task With_two_nodes_each_reminder_is_sent_once_and_each_daily_pdf_made_once()
    {
        var connection = await cluster.NewDatabaseAsync();
        await using var api = await FakeGraphApi.StartAsync();
        var settings = PostgresCluster.Settings(connection).Concat(api.Settings()).Append(new("Jobs:Clustered", "true"))
            .ToDictionary(kv => kv.Key, kv => kv.Value!);
        // 18:30 in Bogotá: tomorrow's day-before reminders are due (from 18:00), within the branch's message hours.
        var evening = CoreHarness.Start.AddHours(8.5);
        using var a = new TurnoWebFactory { Settings = settings, Clock = new ShiftedClock(evening) };
        Assert.NotNull(a.Services); // started, the organization seeded
        using var b = new TurnoWebFactory { Settings = settings, SharedOrganization = false, Clock = new ShiftedClock(evening) };
        IScheduler[] nodes = [await a.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(), await b.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()];
        var runs = new ConcurrentQueue<(string Job, bool Failed)>();
        foreach (var node in nodes) node.ListenerManager.AddJobListener(new Runs(runs));

        // Three bookings for tomorrow morning, made (as the database says) this afternoon: each day-before reminder is due.
        TurnoDigital.Core.Organization.Service service;
        await using (var db = Db(connection)) service = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Asesoría de créditos");
        var first = CoreHarness.Start.UtcDateTime.AddDays(1).AddHours(0.5); // 10:30 tomorrow in Bogotá
        for (var i = 0; i < 3; i++)
            await a.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(service.BranchId, service.Id, first.AddMinutes(30 * i), Channel.Web,
                new IntakeInput(DocumentType.CC, $"10203040{i:00}", "María Pérez", $"30012345{i:00}", "maria@example.co"), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: true));
        await using (var db = Db(connection)) await db.Appointments.ExecuteUpdateAsync(x => x.SetProperty(ap => ap.CreatedAt, ap => ap.CreatedAt.AddHours(-3)));

        // Besides its schedule, the job is fired on both nodes at once.
        await Task.WhenAll(nodes.Select(n => n.TriggerJob(new JobKey("send-reminders")).AsTask()));
        var reminderKinds = new[] { MessageKind.ReminderDayBefore, MessageKind.ReminderSameDay };
        await WaitForAsync(async () =>
        {
            await using var db = Db(connection);
            return runs.Count(r => r.Job == "send-reminders") >= 2 && await db.Outbox.CountAsync(m => reminderKinds.Contains(m.Kind)) >= 3
                && !await db.Outbox.AnyAsync(m => m.Status == OutboxStatus.Pending);
        }, 180, () => $"runs: {string.Join(", ", runs)}; requests: {api.Requests.Count}");

        await using var check = Db(connection);
        var reminders = await check.Outbox.AsNoTracking().Where(m => reminderKinds.Contains(m.Kind)).ToListAsync();
        Assert.Equal(3, reminders.Count);
        Assert.Equal(3, reminders.Select(m => m.To).Distinct().Count());
        Assert.All(reminders, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        // Each sent row reached the Graph API once (the confirmation and the reminder of each person).
        var sentTo = (await check.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Sent).Select(m => m.To).ToListAsync())
            .GroupBy(to => to).ToDictionary(g => g.Key, g => g.Count());
        var requestsTo = api.Requests.GroupBy(r => r.Body["to"]!.ToString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(sentTo.OrderBy(kv => kv.Key), requestsTo.OrderBy(kv => kv.Key));

        // The day closes (after the reminders: a closed day takes no more), so its PDF is due; both nodes run the job at once.
        var supervisor = await check.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
        await a.Services.GetRequiredService<QueueService>().CloseDayAsync(service.BranchId, supervisor, "Fin de jornada");
        await Task.WhenAll(nodes.Select(n => n.TriggerJob(new JobKey("daily-reports")).AsTask()));
        await WaitForAsync(() => Task.FromResult(runs.Count(r => r.Job == "daily-reports") >= 2), 180, () => $"runs: {string.Join(", ", runs)}");
        Assert.DoesNotContain(runs, r => r.Failed);

        var closure = await check.DayClosures.AsNoTracking().SingleAsync(c => c.BranchId == service.BranchId && c.Day == a.Today);
        var file = Assert.Single(await check.DailyReportFiles.AsNoTracking().Where(f => f.BranchId == service.BranchId && f.Day == a.Today).ToListAsync());
        Assert.Equal(closure.ReportAt, file.MadeAt); // the same run wrote both: the other run found the day's PDF made
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(file.Pdf, 0, 4));
    }
}
