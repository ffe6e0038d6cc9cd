using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.PostgreSql;

/// <summary>Quartz on the shared, clustered job store of a server database: two app nodes, each firing run on one of them.</summary>
[Collection(PostgreSqlCollection.Name)]
public class ClusteredJobsTests(PostgresCluster cluster)
{
    static readonly string[] AppJobs = ["aggregate-days", "anonymise-expired-data", "check-alerts", "daily-reports", "end-stale-sessions", "expire-tickets", "mark-no-shows", "send-reminders"];

    sealed class Recorder(string node, ConcurrentQueue<(string Node, string Trigger, DateTimeOffset? Scheduled)> runs) : IJobListener
    {
        public string Name => $"recorder-{node}";
        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct = default) => default;
        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct = default) => default;
        public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken ct = default) => default;
        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? error, CancellationToken ct = default)
        {
            runs.Enqueue((node, context.Trigger.Key.Name, context.ScheduledFireTimeUtc));
            return default;
        }
    }

    [Fact]
    public async Task Two_nodes_share_one_job_store_and_each_firing_runs_on_one_node_only()
    {
        var connection = await cluster.NewDatabaseAsync();
        var settings = PostgresCluster.Settings(connection).ToDictionary(kv => kv.Key, kv => kv.Value!);
        using var a = new TurnoWebFactory { Settings = settings };
        Assert.NotNull(a.Services);
        using var b = new TurnoWebFactory { Settings = settings, SharedOrganization = false };
        IScheduler[] nodes = [await a.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(), await b.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()];

        foreach (var node in nodes) Assert.True((await node.GetMetadata()).JobStoreClustered);
        Assert.NotEqual(nodes[0].SchedulerInstanceId, nodes[1].SchedulerInstanceId);
        // One store: both nodes scheduled the app's jobs and checked in, and it holds each job and its trigger once.
        await using (var db = new NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            async Task<List<string>> Column(string sql)
            {
                await using var cmd = new NpgsqlCommand(sql, db);
                await using var reader = await cmd.ExecuteReaderAsync();
                var values = new List<string>();
                while (await reader.ReadAsync()) values.Add(reader.GetString(0));
                return values;
            }
            // Each node schedules the jobs and checks in as its scheduler starts, which may trail the host's start a little.
            var instances = nodes.Select(n => n.SchedulerInstanceId).Order(StringComparer.Ordinal).ToList();
            List<string> jobs = [], triggers = [], checkedIn = [];
            using var started = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!(jobs.SequenceEqual(AppJobs) && triggers.SequenceEqual(AppJobs) && checkedIn.SequenceEqual(instances)) && !started.IsCancellationRequested)
            {
                jobs = await Column("SELECT job_name FROM qrtz_job_details ORDER BY job_name");
                triggers = await Column("SELECT trigger_name FROM qrtz_triggers ORDER BY trigger_name");
                checkedIn = await Column("SELECT instance_name FROM qrtz_scheduler_state ORDER BY instance_name");
                if (!started.IsCancellationRequested) await Task.Delay(200);
            }
            Assert.Equal(AppJobs, jobs);
            Assert.Equal(AppJobs, triggers);
            Assert.Equal(instances, checkedIn);
        }

        // A burst of ten firings of a real job, every second, scheduled through node A: either node may run each firing.
        var runs = new ConcurrentQueue<(string Node, string Trigger, DateTimeOffset? Scheduled)>();
        foreach (var node in nodes)
            node.ListenerManager.AddJobListener(new Recorder(node.SchedulerInstanceId, runs), [Matchers.Key(new JobKey("end-stale-sessions"))]);
        var burst = new TriggerKey("test-burst");
        await nodes[0].ScheduleJob(TriggerBuilder.Create().WithIdentity(burst).ForJob("end-stale-sessions")
            .StartAt(nodes[0].TimeProvider.GetUtcNow()) // the scheduler's clock is the app's (the test clock), not the machine's
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).WithRepeatCount(9)).Build());

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (runs.Count(r => r.Trigger == burst.Name) < 10 || await nodes[0].GetTrigger(burst) is not null)
            await Task.Delay(200, limit.Token);
        var fired = runs.Where(r => r.Trigger == burst.Name).ToList();
        Assert.Equal(10, fired.Count);
        Assert.Equal(10, fired.Select(r => r.Scheduled).Distinct().Count());
    }
}
