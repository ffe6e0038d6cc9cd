using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

public enum IngestResult { Stored, BadSignature }

/// <summary>
/// The webhook's only synchronous work: check the signature over the raw bytes and store them.
/// Everything else happens in <see cref="WhatsAppWorker"/>. The simulator enters here too.
/// </summary>
public sealed class WebhookIngest : IDisposable
{
    public const int MaxBodyBytes = 1024 * 1024;
    const int MaxBatch = 200;
    /// <summary>The longest a background writer defers to the webhook before taking its turn anyway (no starvation).</summary>
    static readonly TimeSpan MaxYield = TimeSpan.FromMilliseconds(100);
    /// <summary>How long no payload must have arrived before a background writer takes its turn: a flood leaves no such gap.</summary>
    static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(5);

    readonly IDbContextFactory<TurnoDbContext> dbFactory;
    readonly IOptionsMonitor<WhatsAppOptions> options;
    readonly TimeProvider clock;
    readonly WhatsAppSignal signal;
    // The write loop blocks on queueLock (Monitor.Wait: no spinning) on its own thread.
    readonly object queueLock = new();
    List<(WebhookInboxItem Item, TaskCompletionSource Stored)> pending = [];
    bool closed;
    int inFlight;
    /// <summary>When the last payload arrived (<see cref="Stopwatch"/> ticks).</summary>
    long lastArrival;
    /// <summary>Completed whenever no payload waits for its commit: what <see cref="YieldAsync"/> waits for.</summary>
    TaskCompletionSource idle = Completed();
    /// <summary>The INSERT's text and columns, from the model on the first write.</summary>
    (string Sql, IProperty[] Columns)? insert;

    public WebhookIngest(IDbContextFactory<TurnoDbContext> dbFactory, IOptionsMonitor<WhatsAppOptions> options, TimeProvider clock, WhatsAppSignal signal)
    {
        (this.dbFactory, this.options, this.clock, this.signal) = (dbFactory, options, clock, signal);
        // Its own thread: the database calls block (SQLite has no real async), and a commit must not wait for a free pool thread.
        new Thread(WriteLoop) { IsBackground = true, Name = "Webhook ingest" }.Start();
    }

    /// <summary>Payloads received and not yet committed (or failed).</summary>
    public int InFlight { get { lock (queueLock) return inFlight; } }

    /// <summary>Answers only once the payload is committed, so a 200 never loses what Meta sent.</summary>
    public async Task<IngestResult> AcceptAsync(byte[] body, string? signatureHeader, CancellationToken ct = default)
    {
        if (!IsSigned(body, signatureHeader)) return IngestResult.BadSignature;
        await StoreAsync(body, ct);
        return IngestResult.Stored;
    }

    /// <summary>Whether the body carries a valid signature with the app secret.</summary>
    public bool IsSigned(byte[] body, string? signatureHeader) => WebhookSignature.IsValid(body, signatureHeader, options.CurrentValue.AppSecret);

    /// <summary>Stores a payload whose signature the caller checked (<see cref="IsSigned"/>); returns once it is committed.</summary>
    public async Task StoreAsync(byte[] body, CancellationToken ct = default)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = new WebhookInboxItem { Body = Encoding.UTF8.GetString(body), ReceivedAt = clock.GetUtcNow().UtcDateTime };
        lock (queueLock)
        {
            ObjectDisposedException.ThrowIf(closed, this);
            if (inFlight++ == 0) idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lastArrival = Stopwatch.GetTimestamp();
            pending.Add((item, stored));
            if (pending.Count == 1) Monitor.Pulse(queueLock);
        }
        await stored.Task.WaitAsync(ct);
    }

    /// <summary>
    /// For background writers (the inbox worker, the bot, the dispatcher) before each unit of work: waits for a quiet moment
    /// (no payload waiting for its commit, none arrived in the last <see cref="Quiet"/>), at most <see cref="MaxYield"/>, so
    /// a webhook's 200 is not held behind their writes and CPU. During a flood they take about one unit per MaxYield.
    /// </summary>
    public async Task YieldAsync(CancellationToken ct = default)
    {
        var start = Stopwatch.GetTimestamp();
        while (MaxYield - Stopwatch.GetElapsedTime(start) is var left && left > TimeSpan.Zero) // the time is up: go on
        {
            Task drained;
            long last;
            lock (queueLock) (drained, last) = (idle.Task, lastArrival);
            if (!drained.IsCompleted)
                await drained.WaitAsync(left, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            else if (Quiet - Stopwatch.GetElapsedTime(last) is var quiet && quiet > TimeSpan.Zero)
                await Task.Delay(quiet < left ? quiet : left, ct);
            else break;
        }
        ct.ThrowIfCancellationRequested();
    }

    static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    void Done(int count)
    {
        lock (queueLock)
            if ((inFlight -= count) == 0) idle.TrySetResult();
    }

    // Group commit: payloads arriving together share one transaction (SQLite has a single writer).
    void WriteLoop()
    {
        while (true)
        {
            List<(WebhookInboxItem Item, TaskCompletionSource Stored)> batch;
            lock (queueLock)
            {
                while (pending.Count == 0 && !closed) Monitor.Wait(queueLock);
                if (pending.Count == 0) return;
                batch = pending.Count <= MaxBatch ? pending : pending[..MaxBatch];
                if (batch == pending) pending = [];
                else pending.RemoveRange(0, MaxBatch);
            }
            try
            {
                Insert(batch.Select(b => b.Item));
                Done(batch.Count);
                foreach (var b in batch) b.Stored.TrySetResult();
                signal.Wake();
            }
            catch (Exception e)
            {
                Done(batch.Count);
                foreach (var b in batch) b.Stored.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// One prepared INSERT per payload in one transaction. EF's SaveChanges (change tracking, batching, SQL generation)
    /// was about two thirds of the commit thread's time (dotnet-trace); columns, quoting and value conversions still come from EF's model.
    /// </summary>
    void Insert(IEnumerable<WebhookInboxItem> items)
    {
        using var db = dbFactory.CreateDbContext();
        var sql = db.GetService<ISqlGenerationHelper>();
        var (text, columns) = insert ??= InsertCommand(db.Model, sql);
        db.Database.OpenConnection();
        using var tx = db.Database.BeginTransaction();
        using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = text;
        foreach (var item in items)
        {
            cmd.Parameters.Clear();
            object?[] values = [item.Body, item.ReceivedAt, item.Attempts];
            for (var i = 0; i < columns.Length; i++)
                cmd.Parameters.Add(columns[i].GetRelationalTypeMapping().CreateParameter(cmd, sql.GenerateParameterName("p" + i), values[i]));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    static (string, IProperty[]) InsertCommand(IModel model, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(typeof(WebhookInboxItem))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = new[] { nameof(WebhookInboxItem.Body), nameof(WebhookInboxItem.ReceivedAt), nameof(WebhookInboxItem.Attempts) }
            .Select(name => entity.FindProperty(name)!).ToArray();
        return ($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i)))})", columns);
    }

    /// <summary>Ends the write loop once what was queued is written.</summary>
    public void Dispose()
    {
        lock (queueLock)
        {
            closed = true;
            Monitor.Pulse(queueLock);
        }
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
