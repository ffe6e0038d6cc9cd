using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>
/// Sends due outbox rows at MessagesPerSecond overall (across all nodes: <see cref="SendPacer"/>) and one per recipient per
/// SecondsPerRecipient, claiming each row first (so two nodes never send one row), and records what the Graph API said.
/// </summary>
public sealed class OutboxDispatcher(IDbContextFactory<TurnoDbContext> dbFactory, IWhatsAppTransport transport, SendGate gate, SendPacer pacer,
    IOptionsMonitor<WhatsAppOptions> options, TimeProvider clock, WhatsAppSignal signal, WebhookIngest ingest, ILogger<OutboxDispatcher> log) : BackgroundService
{
    public const int MaxAttempts = 10;
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2), Window = TimeSpan.FromHours(24);

    readonly ConcurrentDictionary<string, DateTime> lastSentTo = new();
    DateTime pausedUntil;
    int throttleStreak;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                await ingest.YieldAsync(stoppingToken);
                sent = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { log.LogError(e, "Outbox dispatch failed; retrying shortly."); }
            if (sent == 0)
                try { await signal.WaitOutboundAsync(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One pass: expire stale rows, then send what is due. Returns how many sends were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct = default)
    {
        var now = Now;
        if (now < pausedUntil) return 0;
        var o = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Outbox.Where(m => m.Status == OutboxStatus.Pending && m.ExpiresAt != null && m.ExpiresAt < now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Expired), ct);

        var batchSize = Math.Clamp(o.MessagesPerSecond * 2, 10, 500);
        var due = await db.Outbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(batchSize).ToListAsync(ct);
        if (due.Count == 0) return 0;

        var gap = TimeSpan.FromSeconds(Math.Max(0, o.SecondsPerRecipient));
        // Only the last gap's sends matter; older ones would make the map grow with every person ever messaged.
        if (lastSentTo.Count > 10_000)
            foreach (var (to, at) in lastSentTo)
                if (at < now - gap) lastSentTo.TryRemove(to, out _);
        // One person's messages leave in the order they were written: while an earlier row to the same number is being retried
        // (or is in flight), later rows wait for it rather than overtake it. Waiting rather than dropping keeps every message;
        // the gate drops the ones events made pointless (a "turn near" once the ticket is called), so a retried "turn near"
        // never arrives after "being called" and "being called" waits at most until that retry.
        var tos = due.Select(m => m.To).Distinct().ToList();
        var retrying = await db.Outbox.AsNoTracking()
            .Where(m => tos.Contains(m.To) && m.Status == OutboxStatus.Pending && m.Attempts > 0 && m.NextAttemptAt > now)
            .GroupBy(m => m.To).Select(g => new { To = g.Key, Id = g.Min(m => m.Id) }).ToDictionaryAsync(x => x.To, x => x.Id, ct);
        var ready = new List<OutboxMessage>();
        foreach (var group in due.GroupBy(m => m.To))
        {
            var first = group.MinBy(m => m.Id)!;
            if (retrying.TryGetValue(first.To, out var earlier) && earlier < first.Id) continue;
            var notBefore = await LastSentAsync(db, first.To, ct) + gap;
            // Later messages of the same person wait for the next pass, in order.
            if (notBefore > now || group.Count() > 1)
                await db.Outbox.Where(m => m.To == first.To && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (notBefore > now || m.Id != first.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, notBefore > now ? notBefore : now + gap), ct);
            if (notBefore <= now) ready.Add(first);
        }
        var claimed = await ClaimAsync(db, ready, now, ct);

        await SendPacedAsync(claimed, o, ct);
        return claimed.Count;
    }

    /// <summary>Up to 32 at once, each message leaving as soon as it holds one of the number's shared send permits.</summary>
    Task SendPacedAsync(List<OutboxMessage> claimed, WhatsAppOptions o, CancellationToken ct) =>
        Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(o.MessagesPerSecond, 1, 32), CancellationToken = ct },
            async (m, token) => await SendOneAsync(m, o, token));

    async Task<DateTime> LastSentAsync(TurnoDbContext db, string to, CancellationToken ct)
    {
        if (lastSentTo.TryGetValue(to, out var known)) return known;
        var since = Now - TimeSpan.FromMinutes(1);
        // After a restart the memory is empty: the database knows the last send.
        return await db.Outbox.Where(m => m.To == to && m.SentAt != null && m.SentAt > since).MaxAsync(m => m.SentAt, ct) ?? DateTime.MinValue;
    }

    /// <summary>One UPDATE takes the rows still due; the lease hides them from other dispatchers until it runs out (a crash mid-send).</summary>
    static async Task<List<OutboxMessage>> ClaimAsync(TurnoDbContext db, List<OutboxMessage> ready, DateTime now, CancellationToken ct)
    {
        if (ready.Count == 0) return [];
        var ids = ready.Select(m => m.Id).ToList();
        var lease = now + Lease + TimeSpan.FromTicks(Random.Shared.Next(1, 10_000));
        await db.Outbox.Where(x => ids.Contains(x.Id) && x.Status == OutboxStatus.Pending && x.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAt, lease).SetProperty(x => x.Attempts, x => x.Attempts + 1), ct);
        var mine = (await db.Outbox.AsNoTracking().Where(x => ids.Contains(x.Id) && x.NextAttemptAt == lease).Select(x => x.Id).ToListAsync(ct)).ToHashSet();
        var claimed = ready.Where(m => mine.Contains(m.Id)).ToList();
        foreach (var m in claimed) m.Attempts++;
        return claimed;
    }

    async Task SendOneAsync(OutboxMessage m, WhatsAppOptions o, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var contact = await db.WhatsAppContacts.AsNoTracking().FirstOrDefaultAsync(c => c.WaId == m.To, ct);
        var decision = await gate.CheckAsync(db, m, contact, now, ct);
        switch (decision.Verdict)
        {
            case SendGate.Verdict.Block:
                await FailAsync(db, m, null, decision.Reason!, ct);
                return;
            case SendGate.Verdict.Drop:
                await db.Outbox.Where(x => x.Id == m.Id && x.Status == OutboxStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, OutboxStatus.Expired).SetProperty(x => x.Error, Cut(decision.Reason)), ct);
                return;
            case SendGate.Verdict.Hold:
                // Not an attempt: it waits for the branch's message hours untouched.
                await db.Outbox.Where(x => x.Id == m.Id && x.Status == OutboxStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAt, decision.HoldUntil!.Value).SetProperty(x => x.Attempts, x => x.Attempts - 1), ct);
                return;
        }
        var windowOpen = contact?.LastInboundAt is { } last && now - last < Window;
        if (!windowOpen && !m.AsTemplate)
        {
            if (m.Kind == MessageKind.Reply)
            {
                await FailAsync(db, m, null, "La ventana de 24 horas se cerró antes de responder.", ct);
                return;
            }
            m.AsTemplate = true;
        }

        var template = m.AsTemplate ? await TemplateAsync(db, m.Kind, ct) : null;
        var content = Outbox.Deserialize(m.Content);
        var request = GraphMessages.Build(m.To, content, template);
        SendResult result;
        var permit = await pacer.TakeAsync(o.PhoneNumberId, o.MessagesPerSecond, ct); // last, so that the reads above never hold a permit
        try { result = await transport.SendAsync(request, ct); }
        finally { await pacer.ReturnAsync(permit); }
        now = Now;
        if (result.Ok)
        {
            lastSentTo[m.To] = now;
            throttleStreak = 0;
            await db.Outbox.Where(x => x.Id == m.Id && x.Status == OutboxStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, OutboxStatus.Sent).SetProperty(x => x.SentAt, now)
                    .SetProperty(x => x.WaMessageId, result.WaMessageId).SetProperty(x => x.AsTemplate, m.AsTemplate)
                    .SetProperty(x => x.ErrorCode, (int?)null).SetProperty(x => x.Error, (string?)null), ct);
            m.WaMessageId = result.WaMessageId;
            await transport.AfterSentAsync(m, ct);
            return;
        }
        await HandleErrorAsync(db, m, result, now, ct);
    }

    async Task HandleErrorAsync(TurnoDbContext db, OutboxMessage m, SendResult r, DateTime now, CancellationToken ct)
    {
        var o = options.CurrentValue;
        switch (r.ErrorCode)
        {
            case 130429:
            case null when r.HttpStatus == 429:
                // The number's throughput is exceeded: everyone waits, this row is retried.
                var pause = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Interlocked.Increment(ref throttleStreak))));
                pausedUntil = now + pause;
                await RetryAsync(db, m, now + pause, r, ct);
                return;
            case 131056:
                lastSentTo[m.To] = now;
                await RetryAsync(db, m, now + TimeSpan.FromSeconds(Math.Max(6, o.SecondsPerRecipient)), r, ct);
                return;
            case 131047 when m.Kind != MessageKind.Reply && !m.AsTemplate:
                await db.Outbox.Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.AsTemplate, true).SetProperty(x => x.NextAttemptAt, now)
                    .SetProperty(x => x.ErrorCode, r.ErrorCode).SetProperty(x => x.Error, Cut(r.Error)), ct);
                signal.WakeDispatcher();
                return;
            case 190:
                log.LogCritical("WhatsApp access token rejected (190): sending paused for a minute. {Error}", r.Error);
                pausedUntil = now + TimeSpan.FromMinutes(1);
                await RetryAsync(db, m, pausedUntil, r, ct);
                return;
        }
        if (r.Transient && m.Attempts < MaxAttempts)
        {
            var backoff = TimeSpan.FromSeconds(Math.Min(600, 2 * Math.Pow(2, m.Attempts - 1))) * (0.8 + 0.4 * Random.Shared.NextDouble());
            await RetryAsync(db, m, now + backoff, r, ct);
            return;
        }
        if (r.ErrorCode is 132000) log.LogError("Template parameters do not match for {Kind}: {Error}", m.Kind, r.Error);
        await FailAsync(db, m, r.ErrorCode, r.Transient ? $"Sin respuesta de WhatsApp tras {m.Attempts} intentos: {r.Error}" : r.Error ?? $"HTTP {r.HttpStatus}", ct);
    }

    static Task RetryAsync(TurnoDbContext db, OutboxMessage m, DateTime at, SendResult r, CancellationToken ct) =>
        db.Outbox.Where(x => x.Id == m.Id && x.Status == OutboxStatus.Pending).ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptAt, at)
            .SetProperty(x => x.ErrorCode, r.ErrorCode).SetProperty(x => x.Error, Cut(r.Error)), ct);

    Task FailAsync(TurnoDbContext db, OutboxMessage m, int? code, string error, CancellationToken ct)
    {
        var now = Now;
        log.LogWarning("WhatsApp message {Id} ({Kind}) failed: {Code} {Error}", m.Id, m.Kind, code, error);
        return db.Outbox.Where(x => x.Id == m.Id && x.Status == OutboxStatus.Pending).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, OutboxStatus.Failed)
            .SetProperty(x => x.FailedAt, now).SetProperty(x => x.ErrorCode, code).SetProperty(x => x.Error, Cut(error)), ct);
    }

    static async Task<MessageText> TemplateAsync(TurnoDbContext db, MessageKind kind, CancellationToken ct) =>
        await db.MessageTexts.AsNoTracking().FirstOrDefaultAsync(t => t.Kind == kind, ct)
        ?? new MessageText { Kind = kind, TemplateName = MessageTextDefaults.TemplateName(kind), TemplateLanguage = MessageTextDefaults.TemplateLanguage };

    static string? Cut(string? s) => s is null ? null : s.Length <= OutboxMessage.ErrorMax ? s : s[..OutboxMessage.ErrorMax];
}
