using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>
/// Simulator mode: the in-app phone is the recipient. A send is accepted like the Graph API would
/// (same JSON, a wamid back); the receipts come back through the signed webhook path.
/// </summary>
public sealed class SimulatorTransport(WebhookIngest ingest, IOptionsMonitor<WhatsAppOptions> options, TimeProvider clock) : IWhatsAppTransport
{
    public Task<SendResult> SendAsync(JsonObject message, CancellationToken ct) =>
        Task.FromResult(message["to"] is null || message["type"] is null
            ? new SendResult(null, 400, 100, "Mensaje sin destinatario o tipo.")
            : new SendResult("wamid.SIM" + Guid.NewGuid().ToString("N"), 200));

    public async Task AfterSentAsync(OutboxMessage message, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await ingest.AcceptSignedAsync(MetaPayloads.Status(message.WaMessageId!, message.To, "sent", now, options.CurrentValue.PhoneNumberId), ct);
        await ingest.AcceptSignedAsync(MetaPayloads.Status(message.WaMessageId!, message.To, "delivered", now, options.CurrentValue.PhoneNumberId), ct);
    }
}
