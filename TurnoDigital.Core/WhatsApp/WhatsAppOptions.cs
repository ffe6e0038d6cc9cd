namespace TurnoDigital.Core.WhatsApp;

public enum WhatsAppMode { Simulator, CloudApi }

/// <summary>Config section "WhatsApp".</summary>
public sealed class WhatsAppOptions
{
    public WhatsAppMode Mode { get; set; } = WhatsAppMode.Simulator;
    /// <summary>Base URL including the API version, ending in "/", e.g. https://graph.facebook.com/v23.0/.</summary>
    public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com/v23.0/";
    public string PhoneNumberId { get; set; } = "";
    public string AccessToken { get; set; } = "";
    /// <summary>Signs webhook POSTs (X-Hub-Signature-256). The simulator signs with it too.</summary>
    public string AppSecret { get; set; } = "";
    public string VerifyToken { get; set; } = "";
    public int MessagesPerSecond { get; set; } = 20;
    /// <summary>A send without an answer after this long is retried later.</summary>
    public double GraphTimeoutSeconds { get; set; } = 20;
    /// <summary>Minimum gap between two messages to one person (Meta's pair rate limit).</summary>
    public int SecondsPerRecipient { get; set; } = 6;
    /// <summary>A conversation left this long starts again from the menu.</summary>
    public int ConversationIdleMinutes { get; set; } = 30;
    /// <summary>Reminder the day before, at this local hour.</summary>
    public int DayBeforeReminderHour { get; set; } = 18;
    /// <summary>Reminder on the day, this long before the slot.</summary>
    public int SameDayReminderMinutes { get; set; } = 120;
    /// <summary>"Your turn is near" when at most this many people are ahead…</summary>
    public int TurnNearPeopleAhead { get; set; } = 3;
    /// <summary>…or the estimated wait is at most this many minutes.</summary>
    public int TurnNearMinutes { get; set; } = 10;
    /// <summary>Public base URL for links in messages (status pages), e.g. https://turnos.example.co.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5050";
}
