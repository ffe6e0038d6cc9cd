using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>Why a message is sent; each kind has its text, and its utility template for outside the 24-hour window.</summary>
public enum MessageKind
{
    /// <summary>An answer inside a conversation (menu, booking steps, help).</summary>
    Reply,
    AppointmentConfirmation, ReminderDayBefore, ReminderSameDay,
    TicketConfirmation, TurnNear, TicketCalled, RatingRequest,
    ConfirmArrival, OptOutConfirmation,
    /// <summary>A remote ticket's holder never arrived and the branch closed (template turno_closed_not_arrived).</summary>
    ClosedNotArrived,
    /// <summary>A no-show ticket was brought back to the line.</summary>
    TicketReactivated,
    /// <summary>The branch closed or changed its hours and cancelled the appointment; the link picks a new time.</summary>
    CancelledByBranch,
}

/// <summary>Limits Meta's identifiers fit in.</summary>
public static class WhatsAppIds
{
    /// <summary>A wamid (message id) as Meta sends it.</summary>
    public const int MessageIdMax = 128;
}

/// <summary>Outbox lifecycle. Sent &lt; Delivered &lt; Read only move forward; Failed and Expired are final.</summary>
public enum OutboxStatus { Pending = 0, Sent = 1, Delivered = 2, Read = 3, Failed = 10, Expired = 11 }

/// <summary>A raw webhook POST, stored before anything else so nothing Meta sent is lost.</summary>
public class WebhookInboxItem
{
    public long Id { get; set; }
    public string Body { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>Why processing failed (malformed payload); the item is not retried after it is marked processed.</summary>
    public string? Error { get; set; }
}

/// <summary>One inbound WhatsApp message. The unique message id makes a redelivered message act once.</summary>
public class InboundMessage
{
    public const int WaIdMax = 20, TypeMax = 20, TextMax = 1000, ReplyIdMax = 200;

    public long Id { get; set; }
    public string WaMessageId { get; set; } = "";
    /// <summary>The sender's wa_id (digits, country code first).</summary>
    public string From { get; set; } = "";
    public string Type { get; set; } = "";
    /// <summary>Typed text, or the title of a tapped button or list row. Anonymised by retention.</summary>
    public string? Text { get; set; }
    /// <summary>The id of a tapped reply button or list row.</summary>
    public string? ReplyId { get; set; }
    public DateTime SentAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime? HandledAt { get; set; }
    public int? CustomerId { get; set; }
}

/// <summary>
/// One outbound message, written in the same transaction as its cause. The dedupe key makes a
/// cause produce it once; the dispatcher sends it, retries it and records its statuses.
/// </summary>
public class OutboxMessage
{
    public const int DedupeKeyMax = 120, ErrorMax = 300, ContentMax = 4000;

    public long Id { get; set; }
    public string DedupeKey { get; set; } = "";
    /// <summary>Recipient wa_id (digits).</summary>
    public string To { get; set; } = "";
    public MessageKind Kind { get; set; }
    /// <summary>JSON of <see cref="OutgoingContent"/>. Anonymised by retention.</summary>
    public string Content { get; set; } = "";
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Not sent before this time (backoff, pair rate limit).</summary>
    public DateTime NextAttemptAt { get; set; }
    /// <summary>After this it is pointless (a late "your turn is near"): dropped as Expired.</summary>
    public DateTime? ExpiresAt { get; set; }
    /// <summary>Sent as the kind's template (outside the 24-hour window, or after error 131047).</summary>
    public bool AsTemplate { get; set; }
    public string? WaMessageId { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? ReadAt { get; set; }
    public DateTime? FailedAt { get; set; }
    public int? ErrorCode { get; set; }
    public string? Error { get; set; }
    public int? BranchId { get; set; }
    public int? CustomerId { get; set; }
    public long? AppointmentId { get; set; }
    public Appointments.Appointment? Appointment { get; set; }
    /// <summary>The appointment start this row was written for: a reminder of a start that has since moved is not sent.</summary>
    public DateTime? AppointmentStart { get; set; }
    public long? TicketId { get; set; }
    public Queueing.Ticket? Ticket { get; set; }
}

/// <summary>The bot's memory of one WhatsApp number: conversation state, 24-hour window, opt-out.</summary>
public class WhatsAppContact
{
    public const int StateMax = 40, DataMax = 4000;

    public string WaId { get; set; } = "";
    public int? CustomerId { get; set; }
    public string State { get; set; } = "";
    /// <summary>JSON of the conversation's answers so far.</summary>
    public string? Data { get; set; }
    public DateTime StateUpdatedAt { get; set; }
    /// <summary>Start of the 24-hour customer service window.</summary>
    public DateTime? LastInboundAt { get; set; }
    public DateTime? OptedOutAt { get; set; }
    public int Version { get; set; }
}

/// <summary>An admin-edited text and template name for one message kind (defaults live in code).</summary>
public class MessageText
{
    public const int BodyMax = 1000, TemplateMax = 120, LanguageMax = 10;

    public MessageKind Kind { get; set; }
    public string Body { get; set; } = "";
    public string TemplateName { get; set; } = "";
    public string TemplateLanguage { get; set; } = "es";
}
