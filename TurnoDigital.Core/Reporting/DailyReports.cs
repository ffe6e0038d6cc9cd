using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
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

    /// <summary>Writes a new version of the day's PDF (late events changed it), through a temporary file and a move.</summary>
    public void Replace(int branchId, DateOnly day, byte[] pdf)
    {
        var path = PathOf(branchId, day);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, pdf);
        File.Move(temp, path, overwrite: true);
    }

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
/// Stores each branch's daily PDF once its day is closed (<see cref="DayClosure"/>: by a supervisor, or by the system once the
/// local midnight has passed, which this job makes sure of first), and makes it again when late events changed a closed day
/// (<see cref="QueueService.LateEvents"/>). Days without hours and tickets get none. Idempotent.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DailyReportJob(IDbContextFactory<TurnoDbContext> dbFactory, ChannelReportService reports, ReportArchive archive,
    QueueService queue, TimeProvider clock, ILogger<DailyReportJob> log) : IJob
{
    /// <summary>How far back closed days are watched for late events.</summary>
    public const int LateEventDays = 7;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await RunAsync(ct);

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        await queue.SweepClosingAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var branches = await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).ToDictionaryAsync(b => b.Id, ct);
        var since = DateOnly.FromDateTime(now).AddDays(-LateEventDays - 1);
        var made = 0;
        foreach (var closure in await db.DayClosures.Where(c => c.Day >= since).OrderBy(c => c.Day).ToListAsync(ct))
        {
            if (!branches.TryGetValue(closure.BranchId, out var branch)) continue;
            var exists = archive.Exists(branch.Id, closure.Day);
            if (closure.ReportAt is { } at && exists)
            {
                if (!await QueueService.LateEvents(db, branch.Id, closure.Day, branch.Zone, at).AnyAsync(ct)) continue;
            }
            else if (!exists && branch.OpenIntervals(closure.Day).Count == 0
                     && !await db.Tickets.AnyAsync(t => t.BranchId == branch.Id && t.ServiceDay == closure.Day, ct))
                continue;
            // Stamped before computing: an event recorded while the PDF is drawn makes it again on the next run.
            var stamp = clock.GetUtcNow().UtcDateTime;
            var report = await reports.ComputeAsync(new ReportFilter(closure.Day, closure.Day, [branch.Id], []), ct);
            archive.Replace(branch.Id, closure.Day, ChannelReportPdf.Render(report));
            closure.ReportAt = stamp;
            await db.SaveChangesAsync(ct);
            made++;
            log.LogInformation("Daily report {Kind} for branch {BranchId} on {Day}", exists ? "made again" : "stored", branch.Id, closure.Day);
        }
        return made;
    }
}
