using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Tests.Core;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.PostgreSql;

/// <summary>The PostgreSQL schema, and the raw KPI SQL giving on PostgreSQL exactly what it gives on SQLite for the same rows.</summary>
[Collection(PostgreSqlCollection.Name)]
public class PostgreSqlSchemaAndKpiTests(PostgresCluster cluster)
{
    [Fact]
    public void PostgreSql_migrations_match_the_model()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: bash scripts/add-migration.sh <Name>");
    }

    [Fact]
    public async Task Migrations_apply_to_an_empty_database()
    {
        var options = new DbContextOptionsBuilder<PostgreSqlTurnoDbContext>().UseNpgsql(await cluster.EmptyDatabaseAsync()).Options;
        await using var db = new PostgreSqlTurnoDbContext(options);
        Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
        await db.Database.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Tickets.CountAsync());
        Assert.Contains(await db.Database.SqlQueryRaw<string>("""SELECT data_type AS "Value" FROM information_schema.columns WHERE table_name = 'Tickets' AND column_name = 'IssuedAt'""").ToListAsync(),
            t => t == "timestamp with time zone");
    }

    [Fact]
    public async Task The_panel_and_the_report_give_the_same_figures_as_on_SQLite()
    {
        var onSqlite = await FiguresAsync(null);
        var onPostgreSql = await FiguresAsync(await cluster.NewDatabaseAsync());
        Assert.Equal(onSqlite, onPostgreSql);
    }

    /// <summary>The panel's day and its "now" (<see cref="SupervisionData"/>) and the channel report's day (<see cref="ChannelReportTests"/>), as JSON.</summary>
    static async Task<string> FiguresAsync(string? postgreSql)
    {
        await using var h = await CoreHarness.CreateAsync(postgreSql is null ? null : PostgresCluster.Settings(postgreSql));
        var panelDay = await SupervisionData.SeedAsync(h);
        ChannelReportTests.Seeded reportDay;
        await using (var db = h.Db()) reportDay = await ChannelReportTests.SeedAsync(db);
        var reports = h.Services.GetRequiredService<ChannelReportService>();
        var today = await h.Services.GetRequiredService<PanelQueries>().GetTodayAsync(panelDay.BranchId);
        var now = await h.Services.GetRequiredService<PanelQueries>().GetNowAsync(panelDay.BranchId);
        var report = await reports.ComputeAsync(new ReportFilter(new(2026, 11, 20), new(2026, 11, 25), [reportDay.BranchId], []));
        var asesoria = await reports.ComputeAsync(new ReportFilter(new(2026, 11, 20), new(2026, 11, 20), [reportDay.BranchId], [reportDay.Asesoria]));
        // Figures, not an empty shell: waits and service times came back from the raw SQL.
        Assert.True(today.Total.AvgWaitMinutes > 0 && today.Total.P90WaitMinutes > 0 && today.Total.AvgServiceMinutes > 0 && report.Total.WaitAvgSeconds > 0 && report.Total.Visits > 10);
        var figures = new System.Text.Json.Nodes.JsonArray(JsonSerializer.SerializeToNode(today), JsonSerializer.SerializeToNode(now), Figures(report), Figures(asesoria));
        // Identity user ids are random GUIDs on each database.
        return System.Text.RegularExpressions.Regex.Replace(figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<user id>");
    }

    static System.Text.Json.Nodes.JsonNode Figures(ChannelReport report)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { t => { foreach (var p in t.Properties.Where(p => p.PropertyType == typeof(int[,])).ToList()) t.Properties.Remove(p); } },
        } };
        var node = JsonSerializer.SerializeToNode(report, options)!.AsObject();
        node.Remove(nameof(ChannelReport.GeneratedAt));
        node["DemandCells"] = JsonSerializer.SerializeToNode(report.Demand.Cast<int>().ToArray()); // a 2-D array has no JSON form
        return node;
    }
}
