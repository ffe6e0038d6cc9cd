using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Supervision.Alerts;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.Alerts;

/// <summary>
/// Each condition opens one alert while it holds and closes it when it clears, on the fake clock and a real SQLite file; the owner
/// is mailed once (an .eml in the pickup folder, no SMTP host configured) and whoever acknowledges is recorded.
/// </summary>
public class AlertMonitorTests : IAsyncLifetime
{
    const string Secret = "alert-test-secret";
    CoreHarness h = default!;

    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync(new Dictionary<string, string?> { ["WhatsApp:AppSecret"] = Secret });
    public async Task DisposeAsync() => await h.DisposeAsync();

    AlertMonitor Monitor => h.Services.GetRequiredService<AlertMonitor>();
    AlertService Service => h.Services.GetRequiredService<AlertService>();
    DateTime Now => h.Clock.GetUtcNow().UtcDateTime;

    async Task<List<Alert>> AlertsAsync(AlertCondition condition)
    {
        await using var db = h.Db();
        return await db.Alerts.AsNoTracking().Where(a => a.Condition == condition).OrderBy(a => a.Id).ToListAsync();
    }

    async Task<string> UserIdAsync(string email)
    {
        await using var db = h.Db();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    async Task InboundAsync(DateTime at)
    {
        await using var db = h.Db();
        db.InboundMessages.Add(new InboundMessage { WaMessageId = Guid.NewGuid().ToString("N"), From = "573001112233", Type = "text", SentAt = at, ReceivedAt = at });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task WhatsApp_silence_opens_while_the_branch_is_open_and_closes_when_a_message_arrives()
    {
        var branchId = await h.OpenEightToFiveAsync();
        await InboundAsync(Now.AddMinutes(-20));
        await Monitor.CheckAsync();
        Assert.Empty(await AlertsAsync(AlertCondition.WhatsAppSilence)); // 20 minutes: under the 30-minute default

        h.Clock.Advance(TimeSpan.FromMinutes(15));
        await Monitor.CheckAsync();
        var alert = Assert.Single(await AlertsAsync(AlertCondition.WhatsAppSilence));
        Assert.True(alert.IsOpen);
        Assert.Equal(branchId, alert.BranchId);
        Assert.Contains(h.Notifier.Events, e => e.BranchId == Alert.LiveChannel && e.Kind == QueueEventKind.AlertsChanged);

        await InboundAsync(Now);
        await Monitor.CheckAsync();
        Assert.NotNull(Assert.Single(await AlertsAsync(AlertCondition.WhatsAppSilence)).ClosedAt);
    }

    [Fact]
    public async Task Silence_after_closing_time_raises_nothing()
    {
        await h.OpenEightToFiveAsync();
        await InboundAsync(Now);
        h.Clock.Advance(TimeSpan.FromHours(8)); // 18:00 in Bogotá
        await Monitor.CheckAsync();
        Assert.Empty(await AlertsAsync(AlertCondition.WhatsAppSilence));
    }

    async Task SendsAsync(int? branchId, int sent, int failed)
    {
        await using var db = h.Db();
        for (var i = 0; i < sent + failed; i++)
        {
            var m = await Outbox.AddAsync(db, "573001112233", MessageKind.TurnNear, $"test:{Guid.NewGuid():N}", new OutgoingContent("x"), Now.AddMinutes(-10));
            m!.BranchId = branchId;
            if (i < failed) (m.Status, m.FailedAt, m.ErrorCode, m.Error) = (OutboxStatus.Failed, Now.AddMinutes(-5), 131026, "Message undeliverable");
            else (m.Status, m.SentAt) = (OutboxStatus.Sent, Now.AddMinutes(-9));
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Outbound_failures_over_the_rate_open_with_Metas_reasons_and_close_when_the_hour_moves_on()
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        await SendsAsync(branchId, sent: 15, failed: 4); // 19 sends: under the minimum of 20
        await Monitor.CheckAsync();
        Assert.Empty(await AlertsAsync(AlertCondition.OutboundFailures));

        await SendsAsync(branchId, sent: 1, failed: 0); // 4 of 20 = 20 % > 10 %
        await Monitor.CheckAsync();
        var alert = Assert.Single(await AlertsAsync(AlertCondition.OutboundFailures));
        var text = AlertTexts.Describe(alert.Condition, alert.Detail, System.Globalization.CultureInfo.GetCultureInfo("es-CO"));
        Assert.Contains("4 de 20", text);
        Assert.Contains("131026 Message undeliverable (×4)", text);
        Assert.DoesNotContain("3001112233", text); // no phone number in the alert

        h.Clock.Advance(TimeSpan.FromMinutes(61));
        await Monitor.CheckAsync();
        Assert.NotNull(Assert.Single(await AlertsAsync(AlertCondition.OutboundFailures)).ClosedAt);
    }

    async Task TemplateReviewAsync(string status)
    {
        var reason = status == "REJECTED" ? "INCORRECT_CATEGORY" : "NONE";
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"message_template_status_update",
            "value":{"event":"{{{status}}}","message_template_id":77,"message_template_name":"recordatorio_cita","message_template_language":"es","reason":"{{{reason}}}"}}]}]}
            """;
        Assert.Equal(IngestResult.Stored, await h.Services.GetRequiredService<WebhookIngest>().AcceptSignedAsync(json));
        await h.Services.GetRequiredService<WhatsAppWorker>().RunOnceAsync();
    }

    [Fact]
    public async Task A_rejected_template_opens_an_alert_until_Meta_approves_it()
    {
        await TemplateReviewAsync("REJECTED");
        await Monitor.CheckAsync();
        var alert = Assert.Single(await AlertsAsync(AlertCondition.TemplateProblem));
        Assert.Contains("INCORRECT_CATEGORY", alert.Detail);
        Assert.Contains("recordatorio_cita", alert.Detail);

        await TemplateReviewAsync("APPROVED");
        await Monitor.CheckAsync();
        Assert.NotNull(Assert.Single(await AlertsAsync(AlertCondition.TemplateProblem)).ClosedAt);
    }

    [Fact]
    public async Task A_spike_of_forged_webhooks_opens_and_closes_when_the_window_passes()
    {
        var tallies = h.Services.GetRequiredService<HealthTallies>();
        for (var i = 0; i < 19; i++) await tallies.AddAsync(TallyKind.ForgedWebhook);
        await Monitor.CheckAsync();
        Assert.Empty(await AlertsAsync(AlertCondition.ForgedWebhooks));

        await tallies.AddAsync(TallyKind.ForgedWebhook);
        await Monitor.CheckAsync();
        Assert.True(Assert.Single(await AlertsAsync(AlertCondition.ForgedWebhooks)).IsOpen);

        h.Clock.Advance(TimeSpan.FromMinutes(11));
        await Monitor.CheckAsync();
        Assert.NotNull(Assert.Single(await AlertsAsync(AlertCondition.ForgedWebhooks)).ClosedAt);
    }

    [Fact]
    public async Task A_spike_of_API_errors_opens_and_closes_with_a_threshold_the_admin_changed()
    {
        var limits = await Service.ThresholdsAsync();
        limits.ApiErrors = 5;
        await Service.SaveThresholdsAsync(limits);
        var tallies = h.Services.GetRequiredService<HealthTallies>();
        for (var i = 0; i < 5; i++) await tallies.AddAsync(TallyKind.ApiError);
        await Monitor.CheckAsync();
        var alert = Assert.Single(await AlertsAsync(AlertCondition.ApiErrors));
        Assert.Equal(AlertTarget.Api, alert.Target);

        h.Clock.Advance(TimeSpan.FromMinutes(11));
        await Monitor.CheckAsync();
        Assert.NotNull(Assert.Single(await AlertsAsync(AlertCondition.ApiErrors)).ClosedAt);
    }

    [Fact]
    public async Task Thresholds_out_of_range_are_a_clear_error_and_nothing_is_saved()
    {
        var limits = await Service.ThresholdsAsync();
        limits.FailurePercent = 0;
        var ex = await Assert.ThrowsAsync<DomainException>(() => Service.SaveThresholdsAsync(limits));
        Assert.Equal("Alerts.ThresholdRange", ex.Code);
        Assert.Equal(10, (await Service.ThresholdsAsync()).FailurePercent);
    }

    async Task<int> PairKioskAsync() => (await h.Devices.PairAsync(TurnoWebFactory.KioskCode, DeviceKind.Kiosk))!.Id;

    [Fact]
    public async Task A_device_without_heartbeat_for_two_minutes_opens_and_its_heartbeat_closes_it()
    {
        var kioskId = await PairKioskAsync();
        var presence = h.Services.GetRequiredService<PresenceService>();
        Assert.True(await presence.DeviceHeartbeatAsync(kioskId));
        h.Clock.Advance(TimeSpan.FromSeconds(90));
        await Monitor.CheckAsync();
        Assert.Empty(await AlertsAsync(AlertCondition.DeviceOffline));

        h.Clock.Advance(TimeSpan.FromSeconds(60));
        await Monitor.CheckAsync();
        var alert = Assert.Single(await AlertsAsync(AlertCondition.DeviceOffline), a => a.DeviceId == kioskId);
        Assert.Equal(AlertTarget.Devices, alert.Target);

        Assert.True(await presence.DeviceHeartbeatAsync(kioskId));
        await Monitor.CheckAsync();
        Assert.NotNull((await AlertsAsync(AlertCondition.DeviceOffline)).Single(a => a.DeviceId == kioskId).ClosedAt);
        await using (var db = h.Db()) Assert.Equal(Now, (await db.Devices.SingleAsync(d => d.Id == kioskId)).LastSeenAt);
    }

    [Fact]
    public async Task One_open_alert_per_condition_one_mail_and_a_new_alert_after_it_closed()
    {
        var ownerId = await UserIdAsync("supervisor@demo.turno");
        await Service.SetOwnerAsync(null, AlertTarget.WhatsApp, ownerId);
        var tallies = h.Services.GetRequiredService<HealthTallies>();
        for (var i = 0; i < 20; i++) await tallies.AddAsync(TallyKind.ForgedWebhook);
        for (var i = 0; i < 3; i++) await Monitor.CheckAsync();
        var alert = Assert.Single(await AlertsAsync(AlertCondition.ForgedWebhooks));
        Assert.Equal(ownerId, alert.OwnerId);

        var folder = h.Services.GetRequiredService<MailSender>().PickupFolder;
        var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
        var mail = await MimeMessage.LoadAsync(file);
        Assert.Equal("supervisor@demo.turno", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("[Turno Digital] Alerta: Webhook de WhatsApp: solicitudes sin firma válida · Toda la organización", mail.Subject);
        Assert.Contains("20 solicitudes al webhook", mail.TextBody);
        Assert.Contains("/alertas", mail.TextBody);

        h.Clock.Advance(TimeSpan.FromMinutes(11));
        await Monitor.CheckAsync();
        for (var i = 0; i < 20; i++) await tallies.AddAsync(TallyKind.ForgedWebhook);
        await Monitor.CheckAsync();
        var both = await AlertsAsync(AlertCondition.ForgedWebhooks);
        Assert.Equal(2, both.Count);
        Assert.NotNull(both[0].ClosedAt);
        Assert.True(both[1].IsOpen);
        Assert.Equal(2, Directory.GetFiles(folder, "*.eml").Length);
    }

    [Fact]
    public async Task A_branch_owner_comes_before_the_organisation_wide_one()
    {
        var branchId = (await h.ServiceAsync("Caja")).BranchId;
        var admin = await UserIdAsync("admin@demo.turno");
        var supervisor = await UserIdAsync("supervisor@demo.turno");
        await Service.SetOwnerAsync(null, AlertTarget.Devices, admin);
        await Service.SetOwnerAsync(branchId, AlertTarget.Devices, supervisor);
        await PairKioskAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        await Monitor.CheckAsync();
        Assert.Equal(supervisor, Assert.Single(await AlertsAsync(AlertCondition.DeviceOffline)).OwnerId);
        var owners = await Service.OwnersAsync();
        Assert.Equal(2, owners.Count(o => o.Target == AlertTarget.Devices));
    }

    [Fact]
    public async Task Acknowledging_records_who_and_when_once_and_only_for_whom_may_see_it()
    {
        var owner = await UserIdAsync("supervisor@demo.turno");
        var agent = await UserIdAsync("agente1@demo.turno");
        await Service.SetOwnerAsync(null, AlertTarget.Api, owner);
        var tallies = h.Services.GetRequiredService<HealthTallies>();
        for (var i = 0; i < 50; i++) await tallies.AddAsync(TallyKind.ApiError);
        await Monitor.CheckAsync();
        var id = Assert.Single(await AlertsAsync(AlertCondition.ApiErrors)).Id;
        Assert.Equal(1, await Service.UnreadAsync(owner, admin: false));
        Assert.Equal(0, await Service.UnreadAsync(agent, admin: false));

        var denied = await Assert.ThrowsAsync<DomainException>(() => Service.AcknowledgeAsync(id, agent, admin: false));
        Assert.Equal("Alerts.NotFound", denied.Code);

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await Service.AcknowledgeAsync(id, owner, admin: false);
        var acknowledged = Assert.Single(await AlertsAsync(AlertCondition.ApiErrors));
        Assert.Equal(owner, acknowledged.AcknowledgedById);
        Assert.Equal("Supervisor Demo", acknowledged.AcknowledgedByName);
        Assert.Equal(Now, acknowledged.AcknowledgedAt);
        Assert.Equal(0, await Service.UnreadAsync(owner, admin: false));

        var twice = await Assert.ThrowsAsync<DomainException>(() => Service.AcknowledgeAsync(id, owner, admin: true));
        Assert.Equal("Alerts.AlreadyAcknowledged", twice.Code);
        var (items, total) = await Service.PageAsync(owner, admin: false, 0, 25);
        Assert.Equal(1, total);
        Assert.Equal("Supervisor Demo", items[0].AcknowledgedBy);
    }
}
