using TurnoDigital.Core.Customers;
using System.Text.Json;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>Where a conversation stands (<see cref="WhatsAppContact.State"/>); what free text means depends on it.</summary>
static class States
{
    public const string Menu = "menu";
    public const string BookService = "book:service", BookBranch = "book:branch", BookDay = "book:day", BookSlot = "book:slot";
    public const string BookField = "book:field", BookDocumentNumber = "book:doc-number", BookConsent = "book:consent", BookConfirm = "book:confirm";
    public const string ChangePick = "change:pick", ChangeAction = "change:action", CancelConfirm = "change:cancel";
    public const string RescheduleDay = "resched:day", RescheduleSlot = "resched:slot";
    public const string TicketService = "ticket:service", TicketCancelPick = "ticket:cancel-pick", TicketCancelConfirm = "ticket:cancel";

    public static bool IsReschedule(string state) => state.StartsWith("resched:", StringComparison.Ordinal);
}

/// <summary>The answers so far (<see cref="WhatsAppContact.Data"/> as JSON).</summary>
sealed class ConversationData
{
    /// <summary>The last message acted on: a message handed again after a crash is recognised and skipped.</summary>
    public string? LastMessageId { get; set; }
    public int? ServiceId { get; set; }
    public int? BranchId { get; set; }
    public DateOnly? Day { get; set; }
    public DateTime? SlotUtc { get; set; }
    /// <summary>First slot shown on the current page of the slot list.</summary>
    public int SlotOffset { get; set; }
    public int FieldIndex { get; set; }
    public Dictionary<string, string?> Answers { get; set; } = [];
    public bool ConsentGiven { get; set; }
    public long? AppointmentId { get; set; }
    /// <summary>Taking a remote ticket ("Tomar turno"): the intake and consent steps lead to the ticket, not to a booking summary.</summary>
    public bool Ticket { get; set; }
    public long? TicketId { get; set; }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ConversationData Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new();
        try { return JsonSerializer.Deserialize<ConversationData>(json, Json) ?? new(); }
        catch (JsonException) { return new(); }
    }

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>A fresh start that still remembers which message was handled last.</summary>
    public ConversationData Reset() => new() { LastMessageId = LastMessageId };
}

/// <summary>One inbound message being handled: its context, the contact, the replies to write with the state change.</summary>
sealed class Turn(TurnoDbContext db, InboundMessage message, WhatsAppContact contact, ConversationData data, DateTime now)
{
    public TurnoDbContext Db { get; } = db;
    public InboundMessage Message { get; } = message;
    public WhatsAppContact Contact { get; } = contact;
    public ConversationData Data { get; set; } = data;
    public DateTime Now { get; } = now;
    public string State { get; set; } = string.IsNullOrEmpty(contact.State) ? States.Menu : contact.State;
    /// <summary>The sender in E.164, as customers' phones are stored.</summary>
    public string Phone { get; } = "+" + message.From;
    /// <summary><see cref="Phone"/> as a value to compare with customers' phones (WhatsApp ids are E.164 without the +).</summary>
    public PhoneNumber CustomerPhone { get; } = PhoneNumber.FromStored("+" + message.From);
    public List<(OutgoingContent Content, MessageKind Kind)> Replies { get; } = [];

    public void Say(OutgoingContent content, MessageKind kind = MessageKind.Reply) => Replies.Add((content, kind));
    public void Say(string text) => Say(ChatContent.Text(text));

    public void Go(string state) => State = state;

    public void Restart()
    {
        Data = Data.Reset();
        State = States.Menu;
    }
}
