using Microsoft.AspNetCore.Components;
using TurnoDigital.Core.Live;

namespace TurnoDigital.Web.Live;

/// <summary>
/// The one live path of the branch screens: follows a branch's queue events (through <see cref="QueueViewCache"/>, so the
/// shared views are already invalidated), refreshes on the renderer's dispatcher and renders, and unsubscribes on dispose.
/// The first event refreshes at once; events arriving during a refresh are merged into the next one. A failed refresh is
/// logged and the circuit lives on: the next event tries again.
/// </summary>
public abstract class LiveBranchView : ComponentBase, IAsyncDisposable
{
    [Inject] protected QueueViewCache Views { get; set; } = default!;
    [Inject] ILogger<LiveBranchView> Log { get; set; } = default!;

    readonly CancellationTokenSource closing = new();
    RefreshCoalescer<QueueEvent>? refresher;
    IDisposable? subscription;

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Closing => closing.Token;

    /// <summary>Reloads what the page shows. <paramref name="events"/>: those since the last refresh, in publish order; empty when the page asked.</summary>
    protected abstract Task RefreshAsync(IReadOnlyList<QueueEvent> events);

    /// <summary>Events the page has no use for cause no refresh.</summary>
    protected virtual bool Wants(QueueEvent e) => true;

    /// <summary>Follows <paramref name="branchId"/> (instead of any branch before) and refreshes; events meanwhile go into the next refresh.</summary>
    protected Task FollowAsync(int branchId)
    {
        var refresh = Refresher;
        subscription?.Dispose();
        subscription = Views.Subscribe(branchId, e =>
        {
            if (Wants(e)) _ = refresh.Post(e);
            return Task.CompletedTask;
        });
        return refresh.RefreshAsync();
    }

    protected void Unfollow()
    {
        subscription?.Dispose();
        subscription = null;
    }

    /// <summary>A refresh without an event (a timer): merged into the one running, if any.</summary>
    protected Task RefreshNowAsync() => Refresher.RefreshAsync();

    RefreshCoalescer<QueueEvent> Refresher => refresher ??= new(events => InvokeAsync(() => RenderFreshAsync(events)), Failed);

    async Task RenderFreshAsync(IReadOnlyList<QueueEvent> events)
    {
        if (closing.IsCancellationRequested) return;
        await RefreshAsync(events);
        StateHasChanged();
    }

    void Failed(Exception ex)
    {
        if (!closing.IsCancellationRequested) Log.LogWarning(ex, "Live refresh of {Page} failed", GetType().Name);
    }

    public virtual ValueTask DisposeAsync()
    {
        closing.Cancel();
        refresher?.Stop();
        subscription?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
