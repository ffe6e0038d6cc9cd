using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting.Pdf;

namespace TurnoDigital.Core.Reporting;

/// <summary>A branch's daily PDF, kept in the database so every node lists and serves the same files.</summary>
public sealed class DailyReportFile
{
    public int BranchId { get; set; }
    public DateOnly Day { get; set; }
    public byte[] Pdf { get; set; } = [];
    public DateTime MadeAt { get; set; }
}

/// <summary>Reads the stored daily PDFs (<see cref="DailyReportJob"/> writes them).</summary>
public sealed class ReportArchive(IDbContextFactory<TurnoDbContext> dbFactory)
{
    public async Task<bool> ExistsAsync(int branchId, DateOnly day, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DailyReportFiles.AnyAsync(f => f.BranchId == branchId && f.Day == day, ct);
    }

    /// <summary>The newest <paramref name="perBranch"/> stored days of each branch, newest first.</summary>
    public async Task<Dictionary<int, List<DateOnly>>> DaysAsync(IReadOnlyCollection<int> branchIds, int perBranch = 31, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = branchIds.ToList();
        var rows = await db.DailyReportFiles.Where(f => ids.Contains(f.BranchId)).Select(f => new { f.BranchId, f.Day }).ToListAsync(ct);
        return ids.ToDictionary(id => id, id => rows.Where(r => r.BranchId == id).Select(r => r.Day).OrderByDescending(d => d).Take(perBranch).ToList());
    }

    /// <summary>The PDF, or null when none is stored for that branch and day.</summary>
    public async Task<byte[]?> ReadAsync(int branchId, DateOnly day, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DailyReportFiles.Where(f => f.BranchId == branchId && f.Day == day).Select(f => f.Pdf).FirstOrDefaultAsync(ct);
    }
}

/// <summary>
/// Stores each branch's daily PDF once its day is closed (<see cref="DayClosure"/>: by a supervisor, or by the system once the
/// local midnight has passed, which this job makes sure of first), and makes it again when late events changed a closed day
/// (<see cref="QueueService.LateEvents"/>). Days without hours and tickets get none. Idempotent.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DailyReportJob(IDbContextFactory<TurnoDbContext> dbFactory, ChannelReportService reports,
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
        var stored = (await db.DailyReportFiles.Where(f => f.Day >= since).Select(f => new { f.BranchId, f.Day }).ToListAsync(ct))
            .Select(f => (f.BranchId, f.Day)).ToHashSet();
        var made = 0;
        foreach (var closure in await db.DayClosures.Where(c => c.Day >= since).OrderBy(c => c.Day).ToListAsync(ct))
        {
            if (!branches.TryGetValue(closure.BranchId, out var branch)) continue;
            var exists = stored.Contains((branch.Id, closure.Day));
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
            // The file and the stamp in one save: a node dying in between leaves neither.
            var file = new DailyReportFile { BranchId = branch.Id, Day = closure.Day, Pdf = ChannelReportPdf.Render(report), MadeAt = stamp };
            if (exists) db.DailyReportFiles.Update(file); else db.DailyReportFiles.Add(file);
            closure.ReportAt = stamp;
            await db.SaveChangesAsync(ct);
            db.Entry(file).State = EntityState.Detached; // the PDF's bytes need not stay tracked
            made++;
            log.LogInformation("Daily report {Kind} for branch {BranchId} on {Day}", exists ? "made again" : "stored", branch.Id, closure.Day);
        }
        return made;
    }
}
