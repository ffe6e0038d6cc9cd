namespace TurnoDigital.Core.WhatsApp;

/// <summary>
/// The bot. Called once per inbound message (already stored and deduplicated), in the order
/// messages arrived. It must be idempotent: after a crash the same message may be handed again,
/// so replies use dedupe keys derived from the message id and bookings a request id derived from it.
/// </summary>
public interface IConversationHandler
{
    Task HandleAsync(InboundMessage message, CancellationToken ct = default);
}
