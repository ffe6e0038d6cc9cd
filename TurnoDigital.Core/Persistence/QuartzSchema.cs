using Quartz;

namespace TurnoDigital.Core.Persistence;

/// <summary>
/// The tables of Quartz's ADO.NET job store, for the server databases where the nodes share their jobs (<c>Jobs:Clustered</c>).
/// The app's migrations create them from the script Quartz ships inside Quartz.dll, the schema its job store validates at
/// start; every statement in it creates only what is missing. SQLite keeps Quartz in memory (one node).
/// </summary>
static class QuartzSchema
{
    /// <summary>Quartz's default table prefix.</summary>
    const string Prefix = "QRTZ_";

    static readonly string[] Tables =
    [
        "job_status", "misfire_history", "execution_history", "fired_triggers", "paused_job_grps", "paused_trigger_grps", "scheduler_state", "locks",
        "simprop_triggers", "simple_triggers", "cron_triggers", "blob_triggers", "triggers", "job_details", "calendars",
    ];

    /// <summary>The statements of Quartz's creation script for <paramref name="dialect"/> ("postgres", "sqlServer").</summary>
    public static IEnumerable<string> Create(string dialect)
    {
        var name = $"Quartz.Impl.AdoJobStore.Schema.create_{dialect}.sql";
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Quartz.dll has no {name}: check the Quartz version against this migration.");
        var script = new StreamReader(stream).ReadToEnd();
        // '{0}' is the prefix and '{1}' the prefix without a schema qualifier; statements are separated by a line '--;;'.
        return System.Text.RegularExpressions.Regex.Split(script, @"^--;;\r?$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(s => s.Replace("{0}", Prefix).Replace("{1}", Prefix).Trim())
            .Where(s => s.Split('\n').Any(line => line.Trim() is { Length: > 0 } l && !l.StartsWith("--")));
    }

    /// <summary>Drops the tables again, children first.</summary>
    public static IEnumerable<string> Drop() => Tables.Select(t => $"DROP TABLE IF EXISTS {Prefix}{t.ToUpperInvariant()}");
}
