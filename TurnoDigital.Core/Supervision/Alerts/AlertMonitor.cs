using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Supervision.Alerts;

/// <summary>
/// Checks every condition against its threshold (run each minute by <see cref="Scheduling.CheckAlertsJob"/>): a condition
/// that holds opens one alert per key (condition and branch, device or template) and mails its owner; an open alert whose
/// condition cleared closes. Idempotent: running it twice changes nothing, a mail that failed is tried again next time.
/// </summary>
public sealed class AlertMonitor(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, MailSender mail, PublicLinks links,
    ILogger<AlertMonitor> log)
{
    public const string AlertsPath = "/alertas";
    static readonly CultureInfo MailCulture = CultureInfo.GetCultureInfo("es-CO");

    sealed record Finding(AlertCondition Condition, AlertTarget Target, string Key, int? BranchId, int? DeviceId, string Detail);

    public async Task<(int Opened, int Closed)> CheckAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var limits = await db.AlertThresholds.AsNoTracking().FirstOrDefaultAsync(ct) ?? new AlertThresholds();
        var findings = (await FindAsync(db, limits, now, ct)).ToDictionary(f => f.Key);

        var open = await db.Alerts.Where(a => a.OpenKey != null).ToListAsync(ct);
        var owners = await db.ChannelOwners.AsNoTracking().ToListAsync(ct);
        var closed = 0;
        foreach (var alert in open)
        {
            if (findings.Remove(alert.Key, out var still)) alert.Detail = still.Detail; // latest figures
            else { alert.Close(now); closed++; }
        }
        foreach (var f in findings.Values)
            db.Alerts.Add(Alert.Open(f.Condition, f.Target, f.Key, f.BranchId, f.DeviceId, f.Detail, OwnerOf(owners, f), now));
        await HealthTallies.PruneAsync(db, now, ct);
        await db.SaveChangesAsync(ct);
        await MailOwnersAsync(db, now, ct);
        return (findings.Count, closed);
    }

    static string? OwnerOf(List<ChannelOwner> owners, Finding f) =>
        (owners.FirstOrDefault(o => o.BranchId == f.BranchId && f.BranchId != null && o.Target == f.Target)
         ?? owners.FirstOrDefault(o => o.BranchId == null && o.Target == f.Target))?.UserId;

    async Task<List<Finding>> FindAsync(TurnoDbContext db, AlertThresholds limits, DateTime now, CancellationToken ct)
    {
        var found = new List<Finding>();
        var branches = await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).ToListAsync(ct);
        var names = branches.ToDictionary(b => b.Id, b => b.Name);
        var organisation = AlertTexts.Text("Alert.Organization", MailCulture);

        // Silence: only once the channel has ever been used, so an installation without WhatsApp stays quiet.
        if (await db.InboundMessages.MaxAsync(m => (DateTime?)m.ReceivedAt, ct) is { } lastInbound)
            foreach (var b in branches)
                if (WhatsAppChannelQueries.SilentMinutes(b, now, lastInbound, limits.SilenceMinutes) is { } minutes)
                    found.Add(new(AlertCondition.WhatsAppSilence, AlertTarget.WhatsApp, $"silence:{b.Id}", b.Id, null, AlertTexts.Detail(b.Name, minutes)));

        // Failure rate of the last hour's sends, per branch (conversation replies belong to none: organisation-wide).
        var hourAgo = now.AddHours(-1);
        var sends = await db.Outbox.AsNoTracking()
            .Where(o => (o.Status == OutboxStatus.Failed && o.FailedAt >= hourAgo) || (o.Status != OutboxStatus.Failed && o.SentAt >= hourAgo))
            .GroupBy(o => o.BranchId).Select(g => new { BranchId = g.Key, Total = g.Count(), Failed = g.Count(o => o.Status == OutboxStatus.Failed) })
            .ToListAsync(ct);
        foreach (var s in sends.Where(s => s.Total >= limits.FailureMinSends && s.Failed * 100 > limits.FailurePercent * s.Total))
        {
            var reasons = await db.Outbox.AsNoTracking().Where(o => o.BranchId == s.BranchId && o.Status == OutboxStatus.Failed && o.FailedAt >= hourAgo)
                .GroupBy(o => new { o.ErrorCode, o.Error }).Select(g => new { g.Key.ErrorCode, g.Key.Error, Count = g.Count() })
                .OrderByDescending(g => g.Count).Take(3).ToListAsync(ct);
            var text = string.Join("; ", reasons.Select(r => $"{r.ErrorCode?.ToString() ?? "?"} {Cut(r.Error ?? AlertTexts.Text("Alert.NoReason", MailCulture), 80)} (×{r.Count})"));
            var scope = s.BranchId is { } id ? names.GetValueOrDefault(id, "?") : organisation;
            found.Add(new(AlertCondition.OutboundFailures, AlertTarget.WhatsApp, $"failures:{s.BranchId?.ToString() ?? "org"}", s.BranchId, null,
                AlertTexts.Detail(scope, s.Failed, s.Total, (int)Math.Round(s.Failed * 100.0 / s.Total), text)));
        }

        foreach (var t in await db.TemplateStates.AsNoTracking().Where(t => t.Status == "REJECTED" || t.Status == "PAUSED" || t.Status == "DISABLED").ToListAsync(ct))
            found.Add(new(AlertCondition.TemplateProblem, AlertTarget.WhatsApp, Cut($"template:{t.Name}:{t.Language}", Alert.KeyMax), null, null,
                AlertTexts.Detail(t.Name, t.Language, t.Status, t.Reason ?? AlertTexts.Text("Alert.NoReason", MailCulture))));

        var window = now.AddMinutes(-limits.SpikeWindowMinutes);
        var forged = await HealthTallies.SinceAsync(db, TallyKind.ForgedWebhook, window, ct);
        if (forged >= limits.ForgedWebhooks)
            found.Add(new(AlertCondition.ForgedWebhooks, AlertTarget.WhatsApp, "forged-webhooks", null, null, AlertTexts.Detail(forged, limits.SpikeWindowMinutes)));
        var apiErrors = await HealthTallies.SinceAsync(db, TallyKind.ApiError, window, ct);
        if (apiErrors >= limits.ApiErrors)
            found.Add(new(AlertCondition.ApiErrors, AlertTarget.Api, "api-errors", null, null, AlertTexts.Detail(apiErrors, limits.SpikeWindowMinutes)));

        // Devices that stopped beating while their branch is open (a board switched off at night is not an incident).
        var offlineSince = now.AddMinutes(-limits.DeviceOfflineMinutes);
        var open = branches.Where(b => b.IsOpenAt(now)).Select(b => b.Id).ToHashSet();
        foreach (var d in await db.Devices.AsNoTracking().Where(d => d.PairedAt != null && d.RevokedAt == null && d.LastSeenAt < offlineSince).ToListAsync(ct))
            if (open.Contains(d.BranchId))
                found.Add(new(AlertCondition.DeviceOffline, AlertTarget.Devices, $"device:{d.Id}", d.BranchId, d.Id,
                    AlertTexts.Detail(names[d.BranchId], d.Name, (int)(now - d.LastSeenAt!.Value).TotalMinutes)));
        return found;
    }

    /// <summary>Mails each open alert's owner once; a failure (no server, a bad address) is logged without the address and tried again next run.</summary>
    async Task MailOwnersAsync(TurnoDbContext db, DateTime now, CancellationToken ct)
    {
        var pending = await db.Alerts.Where(a => a.OpenKey != null && a.EmailedAt == null && a.OwnerId != null).ToListAsync(ct);
        foreach (var alert in pending)
        {
            var email = await db.Users.Where(u => u.Id == alert.OwnerId).Select(u => u.Email).FirstOrDefaultAsync(ct);
            if (string.IsNullOrEmpty(email)) { alert.EmailedAt = now; continue; }
            var scope = alert.BranchId is { } id ? await db.Branches.Where(b => b.Id == id).Select(b => b.Name).FirstAsync(ct) : AlertTexts.Text("Alert.Organization", MailCulture);
            var subject = AlertTexts.Text("Alert.Subject", MailCulture, AlertTexts.Title(alert.Condition, MailCulture), scope);
            var opened = BranchTime.ToLocal(alert.OpenedAt, BranchTime.Zone(null)).ToString("yyyy-MM-dd HH:mm", MailCulture);
            var body = AlertTexts.Text("Alert.MailBody", MailCulture, AlertTexts.Describe(alert.Condition, alert.Detail, MailCulture), opened,
                links.BaseUrl.TrimEnd('/') + AlertsPath);
            try
            {
                await mail.SendAsync([email], subject, body, ct);
                alert.EmailedAt = now;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("Alert {AlertId} could not be mailed to its owner: {Error}", alert.Id, ex.GetType().Name);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
