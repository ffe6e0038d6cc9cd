using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>What the person sent, read once: the id of the option they chose (tapped, typed as a number or as its title) and the text.</summary>
sealed record Input(string? ChoiceId, string Text, string Key)
{
    public bool Is(params string[] keys) => keys.Contains(Key);
}

/// <summary>
/// The WhatsApp bot: menu, booking, my appointments, cancel/reschedule, ticket status, replies to notifications, opt-out.
/// State lives in <see cref="WhatsAppContact"/>; each message is handled in one context and its replies are saved with the
/// state change, keyed by the message id, so a message handed again after a crash changes nothing twice.
/// </summary>
public sealed partial class ConversationBot(
    IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, IOptions<WhatsAppOptions> options,
    BookingCatalog catalog, AvailabilityService availability, BookingService bookings, QueueQueries queries, QueueService queue, PublicLinks links,
    ILogger<ConversationBot> logger) : IConversationHandler
{
    const int Attempts = 3, TextMax = 300;
    /// <summary>A reply only makes sense inside the 24-hour window it answers.</summary>
    static readonly TimeSpan ReplyTtl = TimeSpan.FromHours(24);
    static readonly string[] ConversationTypes = ["text", "interactive", "button"];
    static readonly string[] GreetingWords = ["hola", "buenas", "buenos dias", "buenas tardes", "buenas noches", "holi", "hi"];
    static readonly string[] MenuWords = ["menu", "inicio", "empezar", "volver"];
    static readonly string[] YesWords = ["si", "acepto", "confirmar", "confirmo", "ok", "listo", "dale"];
    static readonly string[] NoWords = ["no", "no acepto"];

    static readonly Choice[] MenuRows =
    [
        new("menu:book", BotTexts.MenuBook, BotTexts.MenuBookHint),
        new("menu:ticket-take", BotTexts.MenuTakeTicket, BotTexts.MenuTakeTicketHint),
        new("menu:mine", BotTexts.MenuMine, BotTexts.MenuMineHint),
        new("menu:change", BotTexts.MenuChange, BotTexts.MenuChangeHint),
        new("menu:ticket", BotTexts.MenuTicket, BotTexts.MenuTicketHint),
        new("menu:help", BotTexts.MenuHelp, BotTexts.MenuHelpHint),
    ];

    WhatsAppOptions Options => options.Value;

    public async Task HandleAsync(InboundMessage message, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            try
            {
                await HandleOnceAsync(db, message, ct);
                return;
            }
            catch (DbUpdateException ex) when (attempt < Attempts)
            {
                // Another worker saved this contact first (Version) or created it at the same moment: start again from
                // what it saved. Bookings are keyed by the message, so repeating the turn books nothing twice.
                logger.LogInformation(ex, "WhatsApp contact {WaId} changed while handling {MessageId}; retrying", LogMask.Number(message.From), message.WaMessageId);
            }
        }
    }

    async Task HandleOnceAsync(TurnoDbContext db, InboundMessage message, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var contact = await db.WhatsAppContacts.FirstOrDefaultAsync(c => c.WaId == message.From, ct);
        var isNew = contact is null;
        if (contact is null)
            db.WhatsAppContacts.Add(contact = new WhatsAppContact { WaId = message.From, State = States.Menu, StateUpdatedAt = now });
        var data = ConversationData.Parse(contact.Data);
        if (data.LastMessageId == message.WaMessageId || await db.Outbox.AnyAsync(m => m.DedupeKey == ReplyKey(message, 0), ct))
            return; // handed again after a crash: its answer is already saved

        var sentAt = message.SentAt == default ? now : message.SentAt;
        if (contact.LastInboundAt is null || sentAt > contact.LastInboundAt) contact.LastInboundAt = sentAt;

        var turn = new Turn(db, message, contact, data, now);
        var idle = turn.State != States.Menu && now - contact.StateUpdatedAt > TimeSpan.FromMinutes(Options.ConversationIdleMinutes);
        if (idle) turn.Restart();
        try
        {
            await RespondAsync(turn, isNew, idle, ct);
        }
        catch (DomainException ex)
        {
            // A rule of the domain said no (the appointment changed meanwhile…): its message is meant for the person.
            turn.Replies.Clear();
            turn.Restart();
            turn.Say(BotTexts.Of(ex) + " " + BotTexts.MenuHint);
        }

        turn.Data.LastMessageId = message.WaMessageId;
        for (var i = 0; i < turn.Replies.Count; i++)
            await Outbox.AddAsync(db, message.From, turn.Replies[i].Kind, ReplyKey(message, i), turn.Replies[i].Content, now, ReplyTtl, ct);
        contact.State = turn.State;
        contact.Data = turn.Data.Serialize();
        contact.StateUpdatedAt = now;
        contact.Version++;
        await db.SaveChangesAsync(ct);
    }

    async Task RespondAsync(Turn t, bool isNew, bool idle, CancellationToken ct)
    {
        var type = t.Message.Type;
        // An emoji reaction to one of our messages asks nothing; answering it would only add noise.
        if (type == "reaction") return;
        if (!ConversationTypes.Contains(type))
        {
            t.Say(BotTexts.Unsupported);
            return;
        }
        var input = await InterpretAsync(t, ct);
        if (input.Is("baja", "stop")) { await OptOutAsync(t, ct); return; }
        if (input.Is("alta", "start")) { await OptInAsync(t, ct); return; }

        switch (input.ChoiceId)
        {
            case { } id when id.StartsWith("appt:", StringComparison.Ordinal): await AppointmentActionAsync(t, id, ct); return;
            case { } id when id.StartsWith("rate:", StringComparison.Ordinal): await RateAsync(t, id, ct); return;
            case { } id when id.StartsWith("ticket:", StringComparison.Ordinal): await TicketActionAsync(t, id, ct); return;
            case "menu": ShowMenu(t); return;
            case { } id when id.StartsWith("menu:", StringComparison.Ordinal): await MenuChoiceAsync(t, id, ct); return;
            case null when input.Is(GreetingWords): ShowMenu(t, BotTexts.Greeting); return;
            case null when input.Is(MenuWords): ShowMenu(t); return;
            case null when input.Is("tomar turno", "pedir turno", "sacar turno"): await MenuChoiceAsync(t, "menu:ticket-take", ct); return;
            case null when input.Is("cancelar turno"): t.Restart(); await StartTicketCancelAsync(t, ct); return;
            case null when input.Is("cancelar"): await MenuChoiceAsync(t, "menu:change", ct); return;
            case null when input.Is("ayuda"): await MenuChoiceAsync(t, "menu:help", ct); return;
        }
        if (isNew) ShowMenu(t, BotTexts.Greeting);
        else if (idle) ShowMenu(t, BotTexts.IdleReset + " " + BotTexts.MenuBody);
        else if (t.State == States.Menu) ShowMenu(t, BotTexts.NotUnderstood + " " + BotTexts.MenuBody);
        else await ContinueAsync(t, input, ct);
    }

    static void ShowMenu(Turn t, string body = BotTexts.MenuBody)
    {
        t.Restart();
        t.Say(ChatContent.List(body, BotTexts.ListButton, MenuRows));
    }

    async Task MenuChoiceAsync(Turn t, string id, CancellationToken ct)
    {
        t.Restart();
        switch (id)
        {
            case "menu:book": await StartBookingAsync(t, ct); break;
            case "menu:mine": await ShowMineAsync(t, ct); break;
            case "menu:change": await StartChangeAsync(t, ct); break;
            case "menu:ticket": await ShowTicketsAsync(t, ct); break;
            case "menu:ticket-take": await StartTicketAsync(t, ct); break;
            case "menu:help": t.Say(BotTexts.Help); break;
            default: ShowMenu(t); break;
        }
    }

    /// <summary>A tapped option keeps its id; a typed number or title becomes the id of that option in the last message with options.</summary>
    static async Task<Input> InterpretAsync(Turn t, CancellationToken ct)
    {
        var text = (t.Message.Text ?? "").Trim();
        if (text.Length > TextMax) text = text[..TextMax];
        var key = Normalize(text);
        if (!string.IsNullOrWhiteSpace(t.Message.ReplyId)) return new(t.Message.ReplyId.Trim(), text, key);
        if (key.Length == 0) return new(null, text, key);

        var last = await t.Db.Outbox.AsNoTracking().Where(o => o.To == t.Message.From).OrderByDescending(o => o.Id)
            .Select(o => new { o.Kind, o.Content, o.TicketId }).FirstOrDefaultAsync(ct);
        // While the bot waits for a typed answer ("3" children, a document number), a reminder that arrived meanwhile
        // must not turn that answer into a tap on its buttons: only the bot's own question counts then.
        var typedAnswer = t.State is States.BookField or States.BookDocumentNumber;
        if (last is null || (typedAnswer && last.Kind != MessageKind.Reply)) return new(null, text, key);
        var shown = OptionsOf(last.Content);
        if (key.Length <= 2 && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= shown.Count)
            return new(shown[n - 1].Id, text, key);
        if (shown.FirstOrDefault(o => Normalize(o.Title) == key) is { } byTitle) return new(byTitle.Id, text, key);
        // A rating request may be plain text: "5" right after it is the score.
        if (last is { Kind: MessageKind.RatingRequest, TicketId: { } ticketId } && key is "1" or "2" or "3" or "4" or "5")
            return new($"rate:{ticketId}:{key}", text, key);
        return new(null, text, key);
    }

    static IReadOnlyList<Choice> OptionsOf(string content)
    {
        try { return ChatContent.Options(Outbox.Deserialize(content)); }
        catch (JsonException) { return []; } // anonymised or foreign content
        catch (NotSupportedException) { return []; }
    }

    /// <summary>Lower case, no accents, no surrounding punctuation: "¡Menú!" → "menu".</summary>
    internal static string Normalize(string? text)
    {
        var decomposed = (text ?? "").Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        var plain = sb.ToString().Normalize(NormalizationForm.FormC).Trim(' ', '¡', '!', '¿', '?', '.', ',', ';', ':', '"', '\'');
        return string.Join(' ', plain.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>"reply:{message id}:{n}"; a very long id is hashed so the key never exceeds the column and stays unique.</summary>
    internal static string ReplyKey(InboundMessage m, int n)
    {
        var id = m.WaMessageId.Length <= 100 ? m.WaMessageId : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(m.WaMessageId)))[..40];
        return $"reply:{id}:{n}";
    }

    /// <summary>
    /// The same message always books (or takes a ticket) with the same request id, so BookAsync / IssueRemoteAsync return
    /// the same appointment or ticket when repeated.
    /// </summary>
    internal static Guid RequestIdFor(InboundMessage m, string purpose = "whatsapp-booking") =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + m.WaMessageId)).AsSpan(0, 16));
}
