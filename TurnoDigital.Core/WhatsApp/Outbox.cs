using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>Writes outbound messages into the context, to be saved with the change that caused them.</summary>
public static class Outbox
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds a message unless one with the same dedupe key exists (saved or tracked); returns the new row or null.
    /// <paramref name="to"/> is E.164 ("+57…") or a wa_id.
    /// </summary>
    public static async Task<OutboxMessage?> AddAsync(TurnoDbContext db, string to, MessageKind kind, string dedupeKey,
        OutgoingContent content, DateTime now, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        if (db.Outbox.Local.Any(m => m.DedupeKey == dedupeKey) || await db.Outbox.AnyAsync(m => m.DedupeKey == dedupeKey, ct))
            return null;
        var message = new OutboxMessage
        {
            DedupeKey = dedupeKey[..Math.Min(dedupeKey.Length, OutboxMessage.DedupeKeyMax)],
            To = WaId(to),
            Kind = kind,
            Content = Serialize(content),
            Status = OutboxStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            ExpiresAt = ttl is null ? null : now + ttl.Value,
        };
        db.Outbox.Add(message);
        return message;
    }

    /// <summary>Meta's wa_id: the E.164 number without "+".</summary>
    public static string WaId(string phone) => phone.TrimStart('+');

    public static string Serialize(OutgoingContent content) => JsonSerializer.Serialize(content, Json);
    public static OutgoingContent Deserialize(string json) => JsonSerializer.Deserialize<OutgoingContent>(json, Json)!;

    /// <summary>Why a message was not delivered, as the channel owner sees it: Meta's error code and reason.</summary>
    public static string? FailureText(OutboxStatus status, int? code, string? error) =>
        status is OutboxStatus.Failed or OutboxStatus.Expired
            ? string.Join(" · ", new[] { code?.ToString(), error }.Where(x => !string.IsNullOrWhiteSpace(x))) is { Length: > 0 } text ? text : null
            : null;
}
