using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>
/// Turns stored webhook payloads into inbound messages (once per message id) and status updates
/// (forward only), then hands each new message to the bot in arrival order.
/// </summary>
public sealed class WhatsAppWorker(IDbContextFactory<TurnoDbContext> dbFactory, IServiceProvider services, WhatsAppSignal signal, WebhookIngest ingest,
    IOptionsMonitor<WhatsAppOptions> options, TimeProvider clock, ILogger<WhatsAppWorker> log) : BackgroundService
{
    const int Batch = 50;
    /// <summary>A receipt can beat the dispatcher's record of the message id it answers; it is kept and retried this long.</summary>
    static readonly TimeSpan ReceiptGrace = TimeSpan.FromMinutes(2);
    readonly SemaphoreSlim onePass = new(1, 1);

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunOnceAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { log.LogError(e, "WhatsApp inbox pass failed; retrying shortly."); }
            try { await signal.WaitInboundAsync(TimeSpan.FromSeconds(5), stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Processes everything pending. Passes never overlap (tests and the simulator may call it too).</summary>
    public async Task RunOnceAsync(CancellationToken ct = default)
    {
        await onePass.WaitAsync(ct);
        try
        {
            while (await ProcessInboxAsync(ct) | await HandleMessagesAsync(ct)) { }
        }
        finally { onePass.Release(); }
    }

    async Task<bool> ProcessInboxAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = await db.WebhookInbox.AsNoTracking().Where(i => i.ProcessedAt == null).OrderBy(i => i.Id).Take(Batch).ToListAsync(ct);
        var processed = 0;
        foreach (var item in items)
        {
            await ingest.YieldAsync(ct);
            // One payload tracked at a time: each save's change detection looks at its own rows, not at the whole batch.
            db.ChangeTracker.Clear();
            db.WebhookInbox.Attach(item);
            item.Attempts++;
            try
            {
                var (messages, statuses, problems, foreign) = WebhookPayload.Parse(item.Body, options.CurrentValue.PhoneNumberId);
                // Only the count: the payload holds numbers and names.
                if (foreign > 0) log.LogWarning("WhatsApp webhook {Id}: ignored {Count} change(s) for another phone_number_id.", item.Id, foreign);
                foreach (var m in messages) await StoreMessageAsync(m, ct);
                foreach (var t in WebhookPayload.TemplateUpdates(item.Body)) await ApplyTemplateAsync(db, t, ct);
                var unknown = 0;
                foreach (var s in statuses)
                    if (!await ApplyStatusAsync(s, ct)) unknown++;
                // Applying again later is harmless: messages are stored once and statuses only move forward.
                if (unknown > 0 && Now - item.ReceivedAt < ReceiptGrace)
                {
                    await db.SaveChangesAsync(ct);
                    continue;
                }
                if (problems.Count > 0)
                {
                    item.Error = Cut(string.Join("; ", problems));
                    log.LogWarning("WhatsApp webhook {Id}: skipped malformed parts: {Problems}", item.Id, item.Error);
                }
            }
            catch (FormatException e)
            {
                item.Error = Cut("Payload no válido: " + e.Message);
                log.LogWarning("WhatsApp webhook {Id} is not a valid payload: {Error}", item.Id, e.Message);
            }
            item.ProcessedAt = Now;
            processed++;
            await db.SaveChangesAsync(ct);
        }
        if (items.Count > 0) signal.WakeDispatcher();
        return processed > 0 && items.Count == Batch;
    }

    /// <summary>Keeps the last review Meta sent for a template; the alert job reads it (rejected, paused, disabled).</summary>
    async Task ApplyTemplateAsync(TurnoDbContext db, ParsedTemplateStatus t, CancellationToken ct)
    {
        var name = Cut(t.Name, Supervision.Alerts.TemplateState.NameMax);
        var language = Cut(t.Language, Supervision.Alerts.TemplateState.LanguageMax);
        var row = db.TemplateStates.Local.FirstOrDefault(x => x.Name == name && x.Language == language)
            ?? await db.TemplateStates.FirstOrDefaultAsync(x => x.Name == name && x.Language == language, ct);
        if (row is null) db.TemplateStates.Add(row = new Supervision.Alerts.TemplateState { Name = name, Language = language });
        row.Status = Cut(t.Status, Supervision.Alerts.TemplateState.StatusMax);
        row.Reason = t.Reason is null || t.Reason == "NONE" ? null : Cut(t.Reason, Supervision.Alerts.TemplateState.ReasonMax);
        row.UpdatedAt = Now;
    }

    /// <summary>The unique message id makes a second copy (redelivery, or two at once on two nodes) a no-op.</summary>
    async Task StoreMessageAsync(ParsedMessage m, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RecordAsync(db, m, Now, handled: false, ct);
    }

    /// <summary>
    /// Stores one inbound message and opens its sender's 24-hour window; false when that message id is already stored.
    /// <paramref name="handled"/>: already acted on (a simulated conversation), so the bot does not answer it again.
    /// </summary>
    public static async Task<bool> RecordAsync(TurnoDbContext db, ParsedMessage m, DateTime now, bool handled, CancellationToken ct)
    {
        if (await db.InboundMessages.AnyAsync(x => x.WaMessageId == m.Id, ct)) return false;
        db.InboundMessages.Add(new InboundMessage { WaMessageId = m.Id, From = m.From, Type = m.Type, Text = m.Text, ReplyId = m.ReplyId, SentAt = m.SentAt,
            ReceivedAt = now, HandledAt = handled ? now : null });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return false; }
        // The 24-hour window starts at the person's last message.
        var at = m.SentAt > now ? now : m.SentAt;
        if (await db.WhatsAppContacts.Where(c => c.WaId == m.From).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInboundAt,
                c => c.LastInboundAt == null || c.LastInboundAt < at ? at : c.LastInboundAt), ct) == 0)
        {
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = m.From, LastInboundAt = at, StateUpdatedAt = now });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { /* created meanwhile by the bot */ }
        }
        return true;
    }

    /// <summary>sent &lt; delivered &lt; read; failed is final (except 131047, which the dispatcher resends as a template).</summary>
    /// <returns>False when no outbox row carries that message id (yet).</returns>
    async Task<bool> ApplyStatusAsync(ParsedStatus s, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var m = await db.Outbox.FirstOrDefaultAsync(x => x.WaMessageId == s.Id, ct);
        if (m is null)
        {
            log.LogDebug("WhatsApp status {Status} for unknown message {Id}.", s.Status, s.Id);
            return false;
        }
        if (m.Status is OutboxStatus.Failed or OutboxStatus.Expired) return true;
        switch (s.Status)
        {
            case "sent":
                m.SentAt ??= s.At;
                break;
            case "delivered":
                m.DeliveredAt ??= s.At;
                Forward(m, OutboxStatus.Delivered);
                break;
            case "read":
                m.DeliveredAt ??= s.At;
                m.ReadAt ??= s.At;
                Forward(m, OutboxStatus.Read);
                break;
            case "failed" when s.ErrorCode == 131047 && !m.AsTemplate && m.Kind != MessageKind.Reply && m.DeliveredAt is null:
                // The 24-hour window had closed: the same row goes again as its template.
                m.AsTemplate = true;
                m.Status = OutboxStatus.Pending;
                m.NextAttemptAt = Now;
                m.ErrorCode = s.ErrorCode;
                m.Error = s.Error;
                break;
            case "failed" when m.DeliveredAt is null:
                m.Status = OutboxStatus.Failed;
                m.FailedAt = s.At;
                m.ErrorCode = s.ErrorCode;
                m.Error = s.Error ?? "Meta informó un fallo sin detalle.";
                break;
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    static void Forward(OutboxMessage m, OutboxStatus to)
    {
        if (m.Status < to) m.Status = to;
    }

    async Task<bool> HandleMessagesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.InboundMessages.AsNoTracking().Where(m => m.HandledAt == null).OrderBy(m => m.Id).Take(Batch).ToListAsync(ct);
        var bot = services.GetService<IConversationHandler>();
        if (bot is null) return false;
        foreach (var message in pending)
        {
            await ingest.YieldAsync(ct);
            try { await bot.HandleAsync(message, ct); }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // One bad message must not block the person's next ones: apologise and move on.
                log.LogError(e, "The bot failed on WhatsApp message {Id}.", message.Id);
                await using var apology = await dbFactory.CreateDbContextAsync(ct);
                await Outbox.AddAsync(apology, message.From, MessageKind.Reply, $"reply:{message.WaMessageId}:error",
                    new OutgoingContent("Lo sentimos, tuvimos un problema al procesar su mensaje. Escriba «menú» para empezar de nuevo."), Now, TimeSpan.FromHours(1), ct);
                await apology.SaveChangesAsync(ct);
            }
            await db.InboundMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.HandledAt, Now), ct);
        }
        if (pending.Count > 0) signal.WakeDispatcher();
        return pending.Count == Batch;
    }

    static string Cut(string s) => s.Length <= OutboxMessage.ErrorMax ? s : s[..OutboxMessage.ErrorMax];
    static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
