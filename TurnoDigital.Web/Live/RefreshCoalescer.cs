namespace TurnoDigital.Web.Live;

/// <summary>
/// Runs one refresh at a time. A request while idle refreshes at once (no delay: a call must reach the board fast);
/// requests arriving during a refresh are merged into one next refresh, which gets their items in order. None is lost.
/// A failed refresh is reported and the next request refreshes again.
/// </summary>
public sealed class RefreshCoalescer<T>(Func<IReadOnlyList<T>, Task> refresh, Action<Exception> failed)
{
    readonly Lock gate = new();
    List<T> pending = [];
    TaskCompletionSource? next; // the refresh not started yet; completes when it has run
    bool running, stopped;

    /// <summary>Asks for a refresh that includes <paramref name="item"/>; the task completes once that refresh has run.</summary>
    public Task Post(T item) => Request(item, true);

    /// <summary>Asks for a refresh without an item (a first load, a timer).</summary>
    public Task RefreshAsync() => Request(default, false);

    /// <summary>No refresh starts after this one.</summary>
    public void Stop()
    {
        lock (gate) stopped = true;
    }

    Task Request(T? item, bool hasItem)
    {
        Task done;
        lock (gate)
        {
            if (stopped) return Task.CompletedTask;
            if (hasItem) pending.Add(item!);
            done = (next ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            if (running) return done;
            running = true;
        }
        _ = RunAsync();
        return done;
    }

    async Task RunAsync()
    {
        while (true)
        {
            List<T> batch;
            TaskCompletionSource done;
            lock (gate)
            {
                if (next is null || stopped)
                {
                    running = false;
                    next?.TrySetResult();
                    next = null;
                    return;
                }
                (batch, pending, done, next) = (pending, [], next, null);
            }
            // The loop needs no context: a screen's refresh dispatches itself to its renderer.
            try { await refresh(batch).ConfigureAwait(false); }
            catch (Exception ex) { failed(ex); }
            done.TrySetResult();
        }
    }
}
