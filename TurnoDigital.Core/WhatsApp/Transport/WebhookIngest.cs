using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

public enum IngestResult { Stored, BadSignature }

/// <summary>
/// The webhook's only synchronous work: check the signature over the raw bytes and store them.
/// Everything else happens in <see cref="WhatsAppWorker"/>. The simulator enters here too.
/// </summary>
public sealed class WebhookIngest(IDbContextFactory<TurnoDbContext> dbFactory, IOptionsMonitor<WhatsAppOptions> options, TimeProvider clock, WhatsAppSignal signal)
{
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task<IngestResult> AcceptAsync(byte[] body, string? signatureHeader, CancellationToken ct = default)
    {
        if (!WebhookSignature.IsValid(body, signatureHeader, options.CurrentValue.AppSecret)) return IngestResult.BadSignature;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.WebhookInbox.Add(new WebhookInboxItem { Body = Encoding.UTF8.GetString(body), ReceivedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return IngestResult.Stored;
    }

    /// <summary>Signs and stores a payload built in-process (the simulator's phone and delivery receipts).</summary>
    public Task<IngestResult> AcceptSignedAsync(string json, CancellationToken ct = default)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return AcceptAsync(bytes, WebhookSignature.Sign(bytes, options.CurrentValue.AppSecret), ct);
    }
}

/// <summary>Wakes the worker and the dispatcher when there is new work, so they need not poll fast.</summary>
public sealed class WhatsAppSignal
{
    readonly SemaphoreSlim inbound = new(0), outbound = new(0);

    public void Wake() { Release(inbound); Release(outbound); }
    public void WakeDispatcher() => Release(outbound);
    public Task<bool> WaitInboundAsync(TimeSpan timeout, CancellationToken ct) => inbound.WaitAsync(timeout, ct);
    public Task<bool> WaitOutboundAsync(TimeSpan timeout, CancellationToken ct) => outbound.WaitAsync(timeout, ct);

    // Coalesce: one pending wake-up is enough.
    static void Release(SemaphoreSlim s) { if (s.CurrentCount == 0) s.Release(); }
}
