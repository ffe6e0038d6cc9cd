using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Reporting.Pdf;

namespace TurnoDigital.Core.Reporting;

/// <summary>
/// Daily PDFs kept as files: {Reports:Directory}/{branchId}/{yyyy-MM-dd}.pdf (default App_Data/reports under the content root).
/// Paths are only ever built from a parsed int and a parsed date, so no request can reach another file.
/// </summary>
public sealed class ReportArchive(string directory)
{
    public string Directory => directory;

    public string PathOf(int branchId, DateOnly day) =>
        Path.Combine(directory, branchId.ToString(CultureInfo.InvariantCulture), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".pdf");

    public bool Exists(int branchId, DateOnly day) => File.Exists(PathOf(branchId, day));

    /// <summary>The stored days of a branch, newest first.</summary>
    public IReadOnlyList<DateOnly> Days(int branchId)
    {
        var folder = Path.Combine(directory, branchId.ToString(CultureInfo.InvariantCulture));
        if (!System.IO.Directory.Exists(folder)) return [];
        return System.IO.Directory.EnumerateFiles(folder, "*.pdf")
            .Select(f => DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(f), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null)
            .OfType<DateOnly>().OrderByDescending(d => d).ToList();
    }

    public Stream? Open(int branchId, DateOnly day) => Exists(branchId, day) ? File.OpenRead(PathOf(branchId, day)) : null;

    /// <summary>Writes through a temporary file and a move, so a reader never sees half a PDF. False when it already existed.</summary>
    public bool Save(int branchId, DateOnly day, byte[] pdf)
    {
        var path = PathOf(branchId, day);
        if (File.Exists(path)) return false;
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, pdf);
        try { File.Move(temp, path, overwrite: false); }
        catch (IOException) when (File.Exists(path)) { File.Delete(temp); return false; }
        return true;
    }
}

/// <summary>
/// After each branch's closing (its last open interval of the day; 23:30 local for a branch open until midnight) stores
/// that day's PDF; a day missed while the server was down is made on the next run. Idempotent: an existing file is kept.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DailyReportJob(IDbContextFactory<TurnoDbContext> dbFactory, ChannelReportService reports, ReportArchive archive,
    TimeProvider clock, ILogger<DailyReportJob> log) : IJob
{
    public const int AllDayCutoffMinute = 23 * 60 + 30;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await RunAsync(ct);

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branches = await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var made = 0;
        foreach (var branch in branches)
        {
            var zone = branch.Zone;
            var today = BranchTime.LocalDay(now, zone);
            var minute = BranchTime.LocalMinuteOfDay(now, zone);
            foreach (var day in new[] { today.AddDays(-1), today })
            {
                var intervals = branch.OpenIntervals(day);
                if (intervals.Count == 0 || archive.Exists(branch.Id, day)) continue;
                if (day == today)
                {
                    var closes = intervals.Max(i => i.To);
                    if (minute < Math.Min(closes, AllDayCutoffMinute)) continue;
                }
                var report = await reports.ComputeAsync(new ReportFilter(day, day, [branch.Id], []), ct);
                if (archive.Save(branch.Id, day, ChannelReportPdf.Render(report)))
                {
                    made++;
                    log.LogInformation("Daily report stored for branch {BranchId} on {Day}", branch.Id, day);
                }
            }
        }
        return made;
    }
}
