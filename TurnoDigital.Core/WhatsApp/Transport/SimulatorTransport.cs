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

/// <summary>
/// Simulator mode outside Development: there is no phone to deliver to, so every message fails at once with a reason
/// the channel owner sees, instead of being marked delivered.
/// </summary>
public sealed class NotConnectedTransport : IWhatsAppTransport
{
    public const string Reason = "WhatsApp no está conectado: configure WhatsApp:Mode=CloudApi (el simulador solo funciona en desarrollo).";

    public Task<SendResult> SendAsync(JsonObject message, CancellationToken ct) => Task.FromResult(new SendResult(null, 503, null, Reason));
}
