using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Live;

/// <summary>
/// Per-branch <see cref="BranchViews"/>, computed once per queue event however many screens read them: a branch's event
/// invalidates its views, the next read computes them and readers arriving meanwhile share that computation. Screens
/// subscribe here rather than to <see cref="IQueueEventSource"/>, so an event reaches them only after the views it
/// changes were invalidated.
/// </summary>
public sealed class QueueViewCache(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, IQueueEventSource events, ILogger<QueueViewCache> log,
    Organization.OrganizationCache configuration)
{
    /// <summary>Views also age out: positions, waits and opening hours move with the clock, admins edit services without events.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<int, Entry> branches = new();

    /// <summary>The branch's current views; null for an unknown branch. <paramref name="ct"/> ends this wait, not the shared read.</summary>
    public async Task<BranchViews?> GetAsync(int branchId, CancellationToken ct = default)
    {
        var entry = EntryFor(branchId);
        TaskCompletionSource<BranchViews?>? mine = null;
        Task<BranchViews?> views;
        lock (entry.Gate)
        {
            if (entry.Views is { } current && entry.ViewsGeneration == entry.Generation && IsFresh(current)) views = current;
            else
            {
                mine = new(TaskCreationOptions.RunContinuationsAsynchronously);
                (entry.Views, entry.ViewsGeneration) = (views = mine.Task, entry.Generation);
            }
        }
        // On the pool: SQLite's async calls complete synchronously, and the publisher of the event should not wait for the read.
        if (mine is not null) _ = Task.Run(() => ComputeAsync(branchId, entry, mine));
        return await views.WaitAsync(ct);
    }

    /// <summary>The branch's events, each delivered after the branch's views were invalidated. Dispose to stop.</summary>
    public IDisposable Subscribe(int branchId, Func<QueueEvent, Task> handler)
    {
        var entry = EntryFor(branchId);
        lock (entry.Gate) entry.Screens.Add(handler);
        return new Unsubscriber(() => { lock (entry.Gate) entry.Screens.Remove(handler); });
    }

    // A completed read stays valid while young; a failed one is retried; one in flight is shared.
    bool IsFresh(Task<BranchViews?> views) => !views.IsCompleted
        || (views.IsCompletedSuccessfully && views.Result is { } v && clock.GetUtcNow().UtcDateTime - v.ComputedAt is var age
            && age >= TimeSpan.Zero && age < MaxAge);

    async Task ComputeAsync(int branchId, Entry entry, TaskCompletionSource<BranchViews?> result)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var views = await BranchViews.LoadAsync(db, await configuration.GetAsync(c => c.Branches.ContainsKey(branchId)), branchId, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            if (views is null) Forget(branchId, entry); // a mistyped /fila/{id} leaves nothing behind
            result.SetResult(views);
        }
        catch (Exception ex) { result.SetException(ex); }
    }

    Entry EntryFor(int branchId)
    {
        var entry = branches.GetOrAdd(branchId, _ => new Entry());
        lock (entry.Gate) entry.Upstream ??= events.Subscribe(branchId, e => OnEventAsync(entry, e));
        return entry;
    }

    void Forget(int branchId, Entry entry)
    {
        lock (entry.Gate)
        {
            if (entry.Screens.Count > 0) return;
            branches.TryRemove(new(branchId, entry));
            entry.Upstream?.Dispose();
        }
    }

    Task OnEventAsync(Entry entry, QueueEvent e)
    {
        Func<QueueEvent, Task>[] screens;
        lock (entry.Gate)
        {
            entry.Generation++;
            screens = [.. entry.Screens];
        }
        // Started in order, like the notifier does, so every screen sees the branch's events in the same order.
        foreach (var screen in screens) _ = DeliverAsync(screen, e);
        return Task.CompletedTask;
    }

    async Task DeliverAsync(Func<QueueEvent, Task> screen, QueueEvent e)
    {
        try { await screen(e); }
        catch (Exception ex) { log.LogWarning(ex, "A live screen failed on {Kind}", e.Kind); }
    }

    sealed class Entry
    {
        public readonly Lock Gate = new();
        public readonly List<Func<QueueEvent, Task>> Screens = [];
        public IDisposable? Upstream;
        /// <summary>Bumped by each event: views of an older generation are not handed out any more.</summary>
        public long Generation, ViewsGeneration;
        public Task<BranchViews?>? Views;
    }

    sealed class Unsubscriber(Action dispose) : IDisposable
    {
        int disposed;
        public void Dispose() { if (Interlocked.Exchange(ref disposed, 1) == 0) dispose(); }
    }
}
