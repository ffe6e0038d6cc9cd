using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Supervision.Alerts;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Supervision;

/// <summary>
/// The WhatsApp channel owner's figures for a branch and a range of local days. Inbound messages reach the
/// organisation's one number, so they are counted for everyone; outbound rows belong to a branch (conversation
/// replies to none: those count for unrestricted users only).
/// </summary>
public sealed record ChannelOwnerView(
    DateOnly From, DateOnly To, int Inbound, int BookingsCreated, IReadOnlyDictionary<OutboxStatus, int> OutboundByStatus,
    DateTime? LastInboundLocal, bool OpenNow, int? SilentMinutes, int SilenceAlertMinutes)
{
    public int Outbound => OutboundByStatus.Values.Sum();
    public int Failed => OutboundByStatus.GetValueOrDefault(OutboxStatus.Failed);
    public bool SilenceAlert => SilentMinutes is not null;
}

public sealed record FailureRow(long Id, DateTime AtLocal, MessageKind Kind, string To, int? ErrorCode, string? Error, bool AsTemplate);

public sealed record FailurePage(IReadOnlyList<FailureRow> Items, int Total);

public sealed class WhatsAppChannelQueries(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    public async Task<ChannelOwnerView> GetAsync(int branchId, DateOnly from, DateOnly to, bool unrestricted, CancellationToken ct = default)
    {
        if (to < from) (from, to) = (to, from);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).FirstOrDefaultAsync(b => b.Id == branchId, ct)
            ?? throw new DomainException("Branch.NotFound");
        var zone = branch.Zone;
        var (fromUtc, toUtc) = LocalDays.Range(from, to, zone);

        var inbound = await db.InboundMessages.CountAsync(m => m.ReceivedAt >= fromUtc && m.ReceivedAt < toUtc, ct);
        var bookings = await db.Appointments.CountAsync(a => a.BranchId == branchId && a.Channel == Channel.WhatsApp && a.CreatedAt >= fromUtc && a.CreatedAt < toUtc, ct);
        var byStatus = await Outbound(db, branchId, unrestricted).Where(o => o.CreatedAt >= fromUtc && o.CreatedAt < toUtc)
            .GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var statuses = Enum.GetValues<OutboxStatus>().ToDictionary(s => s, s => byStatus.GetValueOrDefault(s));
        var last = await db.InboundMessages.MaxAsync(m => (DateTime?)m.ReceivedAt, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        // The same threshold the silence alert uses, set by an administrator on /admin/alertas.
        var threshold = (await db.AlertThresholds.AsNoTracking().FirstOrDefaultAsync(ct) ?? new AlertThresholds()).SilenceMinutes;
        return new ChannelOwnerView(from, to, inbound, bookings, statuses, last is null ? null : BranchTime.ToLocal(last.Value, zone),
            branch.IsOpenAt(now), SilentMinutes(branch, now, last, threshold), threshold);
    }

    /// <summary>Failed messages, latest first, with Meta's error code and reason.</summary>
    public async Task<FailurePage> FailuresAsync(int branchId, DateOnly from, DateOnly to, bool unrestricted, int page, int pageSize, CancellationToken ct = default)
    {
        if (to < from) (from, to) = (to, from);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = BranchTime.Zone(await db.Branches.Where(b => b.Id == branchId).Select(b => b.TimeZoneId).FirstOrDefaultAsync(ct));
        var (fromUtc, toUtc) = LocalDays.Range(from, to, zone);
        var q = Outbound(db, branchId, unrestricted).Where(o => o.Status == OutboxStatus.Failed && o.CreatedAt >= fromUtc && o.CreatedAt < toUtc);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(o => o.FailedAt ?? o.CreatedAt).ThenByDescending(o => o.Id).Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(o => new { o.Id, At = o.FailedAt ?? o.CreatedAt, o.Kind, o.To, o.ErrorCode, o.Error, o.AsTemplate }).ToListAsync(ct);
        return new FailurePage(rows.Select(r => new FailureRow(r.Id, BranchTime.ToLocal(r.At, zone), r.Kind, JourneyTrace.MaskPhone("+" + r.To), r.ErrorCode, r.Error, r.AsTemplate)).ToList(), total);
    }

    /// <summary>
    /// Minutes without an inbound message while the branch is open, counted from the later of the last message and the
    /// start of the current opening interval (the night before does not count); null when under the threshold or closed.
    /// </summary>
    public static int? SilentMinutes(Branch branch, DateTime nowUtc, DateTime? lastInboundUtc, int thresholdMinutes)
    {
        if (!branch.IsOpenAt(nowUtc)) return null;
        var zone = branch.Zone;
        var day = BranchTime.LocalDay(nowUtc, zone);
        var minute = BranchTime.LocalMinuteOfDay(nowUtc, zone);
        var interval = branch.OpenIntervals(day).First(i => minute >= i.From && minute < i.To);
        var opened = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue).AddMinutes(interval.From), zone);
        var since = lastInboundUtc is { } last && last > opened ? last : opened;
        var silent = (int)(nowUtc - since).TotalMinutes;
        return silent >= thresholdMinutes ? silent : null;
    }

    /// <summary>Messages only: the "already near" markers (<see cref="Notifications.MarkerReasons"/>) were never meant to go out.</summary>
    static IQueryable<OutboxMessage> Outbound(TurnoDbContext db, int branchId, bool unrestricted) =>
        db.Outbox.AsNoTracking().Where(o => o.BranchId == branchId || (unrestricted && o.BranchId == null))
            .Where(o => !(o.Status == OutboxStatus.Expired && o.Error != null && Notifications.MarkerReasons.Contains(o.Error)));
}
