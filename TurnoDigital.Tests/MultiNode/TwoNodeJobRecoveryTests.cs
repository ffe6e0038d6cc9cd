using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using TurnoDigital.Core.Reporting;
using Xunit.Abstractions;

namespace TurnoDigital.Tests.MultiNode;

/// <summary>Quartz's clustered store on the two-node bed: a node killed while running a job, the survivor runs it again.</summary>
[Collection(TwoNodeCollection.Name)]
public class TwoNodeJobRecoveryTests(TwoNodeBed bed, ITestOutputHelper output) : IAsyncLifetime
{
    const string Job = "daily-reports";

    public Task InitializeAsync() => bed.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_job_running_on_a_killed_node_is_run_again_by_the_survivor_and_its_effect_happens_once()
    {
        var caja = await bed.CajaAsync();
        using (var api = bed.ApiClient(await bed.AffinityForAsync(0))) await api.IssueAsync(caja, "recovery-1"); // today has a ticket
        string connection, table;
        await using (var db = bed.Db())
        {
            connection = db.Database.GetConnectionString()!;
            table = db.Model.FindEntityType(typeof(DailyReportFile))!.GetTableName()!;
        }

        // The test holds the table the daily-report job reads: whichever node runs the job next stays inside it, a real job
        // mid-execution, until the test lets go. Held before the day closes, so no run can make today's PDF early.
        await using var holder = new NpgsqlConnection(connection);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await Sql(holder, $"LOCK TABLE \"{table}\" IN ACCESS EXCLUSIVE MODE").ExecuteNonQueryAsync();

        // Today closes (the nodes' clock is the machine's; the harness's only moves forward), so today's PDF is due.
        bed.Data.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        DateOnly today;
        await using (var db = bed.Db())
        {
            var supervisor = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
            today = (await bed.Data.Queue.CloseDayAsync(caja.BranchId, supervisor, "Fin de jornada")).Day;
        }

        // Fired on the cluster by a client of the same job store that runs no jobs itself; either node picks it up.
        await using (var client = ClientScheduler(connection))
            await (await client.GetRequiredService<ISchedulerFactory>().GetScheduler()).TriggerJob(new JobKey(Job));
        var running = await WaitForAsync(async () => await FirstAsync<string>(connection,
            $"SELECT f.instance_name FROM qrtz_fired_triggers f WHERE f.job_name = '{Job}' AND f.state = 'EXECUTING' AND {WaitingOn(table)}"),
            "the job runs on a node and waits for the table", connection);
        var victim = bed.NodeName(0) == NodeOf(running) ? 0 : 1;
        var survivor = 1 - victim;
        Assert.Equal(bed.NodeName(victim), NodeOf(running)); // the instance id names the node

        await bed.KillAsync(victim);
        var killed = Stopwatch.StartNew();
        // The survivor finds the dead instance silent, recovers its firing as a trigger of Quartz's recovery group and runs the
        // job itself (it waits for the table as the dead run did).
        var recovery = await WaitForAsync(() => FirstAsync<string>(connection,
            $"SELECT trigger_name FROM qrtz_triggers WHERE trigger_group = '{SchedulerConstants.DefaultRecoveryGroup}' AND job_name = '{Job}' AND trigger_name LIKE 'recover\\_{running}\\_%'"),
            "a recovery trigger for the dead node's firing", connection);
        var rerun = await WaitForAsync(() => FirstAsync<string>(connection,
            $"SELECT f.instance_name || ' ' || f.trigger_group FROM qrtz_fired_triggers f WHERE f.job_name = '{Job}' AND f.state = 'EXECUTING' AND f.instance_name <> '{running}'"),
            "the survivor runs the job", connection);
        Assert.Equal(bed.NodeName(survivor), NodeOf(rerun.Split(' ')[0]));
        var detected = killed.Elapsed;
        await hold.CommitAsync();

        // Done once the recovery trigger has fired and completed and no run of the job is left.
        await WaitForAsync(async () => await FirstAsync<long>(connection,
                $"SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM qrtz_triggers WHERE trigger_name = '{recovery}') AND NOT EXISTS (SELECT 1 FROM qrtz_fired_triggers WHERE job_name = '{Job}')"
                + $" AND EXISTS (SELECT 1 FROM \"{table}\" WHERE \"BranchId\" = {caja.BranchId} AND \"Day\" = '{today:yyyy-MM-dd}')"),
            "the recovered run completes and today's PDF is stored", connection);
        output.WriteLine($"node {bed.NodeName(victim)} killed mid-job: {rerun} after {detected.TotalSeconds:0.0} s (recovery trigger {recovery}), "
            + $"today's PDF stored {killed.Elapsed.TotalSeconds:0.0} s after the kill");

        await using var check = bed.Db();
        var file = Assert.Single(await check.DailyReportFiles.AsNoTracking().Where(f => f.BranchId == caja.BranchId && f.Day == today).ToListAsync());
        var closure = await check.DayClosures.AsNoTracking().SingleAsync(c => c.BranchId == caja.BranchId && c.Day == today);
        Assert.Equal(closure.ReportAt, file.MadeAt); // one run made it; a second one would have found it made and left it
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(file.Pdf, 0, 4));
        Assert.Equal(0L, await FirstAsync<long>(connection, $"SELECT count(*) FROM qrtz_triggers WHERE job_name = '{Job}' AND trigger_state = 'ERROR'"));
    }

    /// <summary>The node's name in a Quartz instance id ("a-20261130T081500123", see AddTurnoCore).</summary>
    static string NodeOf(string instanceId) => instanceId[..instanceId.LastIndexOf('-')];

    /// <summary>Some backend waits for a lock on <paramref name="table"/> (the held job's query).</summary>
    static string WaitingOn(string table) =>
        $"EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '{table}' AND NOT l.granted)";

    /// <summary>A scheduler on the nodes' clustered job store, never started: it only writes triggers for the nodes to fire.</summary>
    static ServiceProvider ClientScheduler(string connection)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceId = "test-client");
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.UseClustering();
                store.UsePostgres(NpgsqlFactory.Instance, connection);
            });
        });
        return services.BuildServiceProvider();
    }

    static NpgsqlCommand Sql(NpgsqlConnection connection, string sql) => new(sql, connection);

    /// <summary>The first column of the first row, or null when there is none.</summary>
    static async Task<T?> FirstAsync<T>(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = Sql(db, sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T));
    }

    /// <summary>Waits (three minutes at most) for a value; on failure shows what Quartz's tables held.</summary>
    static async Task<T> WaitForAsync<T>(Func<Task<T?>> value, string what, string connection)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await value() is { } found && !Equals(found, default(T))) return found;
            if (watch.Elapsed > TimeSpan.FromMinutes(3))
            {
                var rows = new List<string>();
                await using var db = new NpgsqlConnection(connection);
                await db.OpenAsync();
                foreach (var sql in new[] { "SELECT instance_name, trigger_group, trigger_name, job_name, state FROM qrtz_fired_triggers",
                    "SELECT instance_name, last_checkin_time::text, '', '', '' FROM qrtz_scheduler_state",
                    $"SELECT trigger_group, trigger_name, job_name, trigger_state, next_fire_time::text FROM qrtz_triggers WHERE job_name = '{Job}'" })
                {
                    await using var command = Sql(db, sql);
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync()) rows.Add(string.Join(" | ", Enumerable.Range(0, 5).Select(i => reader.GetValue(i))));
                }
                Assert.Fail($"Timed out: {what}\n{string.Join("\n", rows)}");
            }
            await Task.Delay(200);
        }
    }
}
