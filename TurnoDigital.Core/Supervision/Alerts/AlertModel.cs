using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Core.Supervision.Alerts;

/// <summary>What a staff user can own: a channel, or the branch's devices (kiosks and boards).</summary>
public enum AlertTarget { WhatsApp, Web, Kiosk, Api, Devices }

public enum AlertCondition { WhatsAppSilence, OutboundFailures, TemplateProblem, ForgedWebhooks, DeviceOffline, ApiErrors }

/// <summary>The staff user who answers for a channel or the devices of a branch (<see cref="BranchId"/> null: organisation-wide).</summary>
public class ChannelOwner
{
    public int Id { get; set; }
    public int? BranchId { get; set; }
    public AlertTarget Target { get; set; }
    public string UserId { get; set; } = "";
}

/// <summary>The thresholds an administrator tunes (one row).</summary>
public class AlertThresholds
{
    public int Id { get; set; } = 1;
    /// <summary>No inbound WhatsApp message for this long while the branch is open.</summary>
    public int SilenceMinutes { get; set; } = 30;
    /// <summary>Failed share of the last hour's sends, once there are at least <see cref="FailureMinSends"/>.</summary>
    public int FailurePercent { get; set; } = 10;
    public int FailureMinSends { get; set; } = 20;
    public int DeviceOfflineMinutes { get; set; } = 2;
    /// <summary>Rejected (forged or unsigned) webhook posts within <see cref="SpikeWindowMinutes"/>.</summary>
    public int ForgedWebhooks { get; set; } = 20;
    /// <summary>API answers with an error status within <see cref="SpikeWindowMinutes"/>.</summary>
    public int ApiErrors { get; set; } = 50;
    public int SpikeWindowMinutes { get; set; } = 10;

    /// <summary>A clear error for a value out of range, before anything is saved.</summary>
    public void Validate()
    {
        Check(SilenceMinutes, 5, 24 * 60);
        Check(FailurePercent, 1, 100);
        Check(FailureMinSends, 1, 100_000);
        Check(DeviceOfflineMinutes, 1, 24 * 60);
        Check(ForgedWebhooks, 1, 1_000_000);
        Check(ApiErrors, 1, 1_000_000);
        Check(SpikeWindowMinutes, 1, 24 * 60);
    }

    static void Check(int value, int min, int max)
    {
        if (value < min || value > max) throw new DomainException("Alerts.ThresholdRange", min, max);
    }
}

/// <summary>Events counted per minute in the database, so every node's counts add up: forged webhook posts, API errors.</summary>
public enum TallyKind { ForgedWebhook, ApiError }

public class HealthTally
{
    public long Id { get; set; }
    public TallyKind Kind { get; set; }
    /// <summary>The UTC minute the count belongs to.</summary>
    public DateTime Minute { get; set; }
    public int Count { get; set; }
}

/// <summary>The last state Meta reported for a message template (<c>message_template_status_update</c>).</summary>
public class TemplateState
{
    public const int NameMax = 120, LanguageMax = 16, StatusMax = 24, ReasonMax = 200;
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Language { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static bool IsProblem(string status) => status is "REJECTED" or "PAUSED" or "DISABLED";
}

/// <summary>
/// One occurrence of a condition for a branch, a device or the whole organisation. <see cref="OpenKey"/> is unique while it is
/// open (then cleared), so a condition that holds for an hour is one alert, not sixty. Its text is rebuilt from
/// <see cref="Condition"/> and <see cref="Detail"/> (figures, names of branches, devices and templates: no personal data).
/// </summary>
public class Alert : Entity
{
    public const int KeyMax = 160, DetailMax = 1000, NameMax = 256;
    /// <summary>The organisation's live channel: alert changes are announced here, not on a branch.</summary>
    public const int LiveChannel = 0;

    public long Id { get; set; }
    public AlertCondition Condition { get; set; }
    public AlertTarget Target { get; set; }
    public int? BranchId { get; set; }
    public int? DeviceId { get; set; }
    public string Key { get; set; } = "";
    public string? OpenKey { get; set; }
    /// <summary>Format arguments of the condition's text, as JSON (an array of strings and numbers).</summary>
    public string Detail { get; set; } = "[]";
    /// <summary>The owner at the time it opened (null: nobody owns the target, administrators see it).</summary>
    public string? OwnerId { get; set; }
    public DateTime OpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime? EmailedAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedById { get; set; }
    public string? AcknowledgedByName { get; set; }

    public bool IsOpen => ClosedAt is null;

    public static Alert Open(AlertCondition condition, AlertTarget target, string key, int? branchId, int? deviceId, string detail, string? ownerId, DateTime now)
    {
        var alert = new Alert
        {
            Condition = condition, Target = target, Key = key, OpenKey = key, BranchId = branchId, DeviceId = deviceId,
            Detail = detail, OwnerId = ownerId, OpenedAt = now,
        };
        alert.Announce(Changed);
        return alert;
    }

    public void Close(DateTime now)
    {
        if (!IsOpen) return;
        ClosedAt = now;
        OpenKey = null;
        Announce(Changed);
    }

    public void Acknowledge(string userId, string userName, DateTime now)
    {
        if (AcknowledgedAt is not null) throw new DomainException("Alerts.AlreadyAcknowledged");
        AcknowledgedAt = now;
        AcknowledgedById = userId;
        AcknowledgedByName = userName.Length > NameMax ? userName[..NameMax] : userName;
        Announce(Changed);
    }

    static QueueEvent Changed => new(LiveChannel, QueueEventKind.AlertsChanged);
}
