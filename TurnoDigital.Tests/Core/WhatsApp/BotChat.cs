using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>One phone talking to the bot: stores each message as the transport does, hands it to the bot, returns its replies.</summary>
sealed class BotChat(CoreHarness h, string from = BotChat.Number)
{
    public const string Number = "573001112233", Phone = "+573001112233";
    static int sequence;

    public string From { get; } = from;
    public InboundMessage? Last { get; private set; }
    public IConversationHandler Bot => h.Services.GetRequiredService<IConversationHandler>();

    public Task<List<OutgoingContent>> SayAsync(string text) => SendAsync("text", text, null);

    /// <summary>Taps a button or list row: WhatsApp sends its id and title.</summary>
    public Task<List<OutgoingContent>> TapAsync(string id, string? title = null) => SendAsync("interactive", title ?? id, id);

    public async Task<List<OutgoingContent>> SendAsync(string type, string? text, string? replyId)
    {
        var now = h.Clock.GetUtcNow().UtcDateTime;
        var message = new InboundMessage
        {
            WaMessageId = $"wamid.test.{Interlocked.Increment(ref sequence)}", From = From, Type = type, Text = text, ReplyId = replyId,
            SentAt = now, ReceivedAt = now,
        };
        await using (var db = h.Db())
        {
            db.InboundMessages.Add(message);
            await db.SaveChangesAsync();
        }
        Last = message;
        await Bot.HandleAsync(message);
        return await RepliesAsync(message);
    }

    public async Task<List<OutgoingContent>> RepliesAsync(InboundMessage message)
    {
        await using var db = h.Db();
        var rows = await db.Outbox.AsNoTracking().Where(o => o.DedupeKey.StartsWith($"reply:{message.WaMessageId}:")).OrderBy(o => o.Id).ToListAsync();
        return rows.Select(o => Outbox.Deserialize(o.Content)).ToList();
    }

    public async Task<WhatsAppContact> ContactAsync()
    {
        await using var db = h.Db();
        return await db.WhatsAppContacts.AsNoTracking().SingleAsync(c => c.WaId == From);
    }

    /// <summary>A notification from another component (reminder, rating request), as the last message the person saw.</summary>
    public async Task NotifyAsync(MessageKind kind, OutgoingContent content, long? ticketId = null, long? appointmentId = null)
    {
        await using var db = h.Db();
        var row = await Outbox.AddAsync(db, From, kind, $"test:{kind}:{Interlocked.Increment(ref sequence)}", content, h.Clock.GetUtcNow().UtcDateTime);
        (row!.TicketId, row.AppointmentId) = (ticketId, appointmentId);
        await db.SaveChangesAsync();
    }
}
