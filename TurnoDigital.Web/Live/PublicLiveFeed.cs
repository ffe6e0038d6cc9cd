using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using System.Threading.Channels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Components.Pages.Book.Components;
using TurnoDigital.Web.Components.Pages.Fila.Components;
using TurnoDigital.Web.Components.Pages.Status.Components;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Live;

/// <summary>
/// The live channel of the public phone pages (/t/{code}, /fila/{branch}), which are static server-rendered pages without a
/// circuit: one Server-Sent Events stream per open page, fed by the branch's <see cref="QueueViewCache"/> (no database work
/// per watcher), sending the page's fresh fragment (rendered by the page's own component) whenever it changes. A ticket that
/// only moved up the line gets two numbers ("pos" event: people ahead, minutes), which live.js writes into the card: each call
/// moves every waiting ticket, and this keeps that fan-out cheap. A watcher costs an idle connection and a subscription. The
/// browser's EventSource reconnects by itself and gets the current fragment at once; a re-read every
/// <see cref="FallbackInterval"/> catches what moves with the clock (and keeps proxies from timing out); <c>?once=1</c> answers the fragment alone, for live.js's polling fallback when the stream is refused.
/// </summary>
public sealed class PublicLiveFeed(QueueViewCache views, QueueQueries queries, IServiceProvider services, ILoggerFactory logs)
{
    public static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(15);
    /// <summary>
    /// How long a watcher lets the branch's events settle before it reads: an agent's actions come in bursts (call, start,
    /// complete), and each event makes the branch's views be read again; one read per burst instead of three.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);
    const string LiveSegment = "live";

    /// <summary>The channel of a ticket's status page (relative, like <see cref="PublicLinks"/>).</summary>
    public static string TicketChannel(string code) => $"{PublicLinks.Ticket(code)}/{LiveSegment}";

    /// <summary>The channel of a branch's /fila page.</summary>
    public static string LineChannel(int branchId) => $"{PublicLinks.Line(branchId)}/{LiveSegment}";

    /// <summary>The channel of an appointment's page (/cita/{code}).</summary>
    public static string AppointmentChannel(string code) => $"{PublicLinks.Appointment(code)}/{LiveSegment}";

    /// <summary>
    /// Public, like the pages: /t's channel by the ticket's unguessable code (an unknown code is 404), /fila's by branch (counts
    /// only, no personal data). Both in the pages' per-IP "Public" rate-limit window (an EventSource reconnect is one request).
    /// </summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet($"/{PublicLinks.TicketSegment}/{{code}}/{LiveSegment}", (HttpContext http, string code, PublicLiveFeed feed) => feed.TicketAsync(http, code))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).ExcludeFromDescription();
        app.MapGet($"/{PublicLinks.LineSegment}/{{branchId:int}}/{LiveSegment}", (HttpContext http, int branchId, PublicLiveFeed feed) => feed.LineAsync(http, branchId))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).ExcludeFromDescription();
        // /cita's, by the appointment's unguessable code like its page.
        app.MapGet($"/{PublicLinks.AppointmentSegment}/{{code}}/{LiveSegment}", (HttpContext http, string code, PublicLiveFeed feed) => feed.AppointmentAsync(http, code))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).ExcludeFromDescription();
    }

    async Task TicketAsync(HttpContext http, string code)
    {
        // One indexed read says which branch to follow; from then on the branch's shared views answer (a reconnect storm after
        // a restart costs no per-ticket position query). A ticket of another day is read directly, and changes no more.
        if (await queries.GetBranchOfTicketAsync(code, http.RequestAborted) is not int branchId)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var culture = CultureInfo.CurrentUICulture;
        TicketStatusView? sent = null;
        await StreamAsync(http, branchId, async ct =>
        {
            var status = (await views.GetAsync(branchId, ct))?.Status(code) ?? await queries.GetStatusAsync(code, ct);
            if (status is null || status == sent) return new(Final: status is null);
            var moved = sent is not null && TicketStatusCard.OnlyMoved(sent, status);
            sent = status;
            if (moved) return new(Position: (status.PeopleAhead, status.EstimatedWaitMinutes));
            // A closed ticket changes no more: the page gets its last state and the stream ends.
            return new(await RenderAsync<TicketStatusCard>(culture, new() { [nameof(TicketStatusCard.Status)] = status }), !TicketStatusCard.IsActive(status));
        });
    }

    async Task LineAsync(HttpContext http, int branchId)
    {
        if (await views.GetAsync(branchId, http.RequestAborted) is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var culture = CultureInfo.CurrentUICulture;
        string? sent = null;
        await StreamAsync(http, branchId, async ct =>
        {
            if (await views.GetAsync(branchId, ct) is not { } current) return new(Final: true);
            // Every watcher of the branch shares one render per views and language.
            var html = await lines.GetValue(current, _ => new()).GetOrAdd(culture.Name, _ => RenderAsync<FilaLines>(culture, new()
            {
                [nameof(FilaLines.Branch)] = current.Public,
                [nameof(FilaLines.NextOpening)] = current.NextOpeningLocal,
            }));
            return html == sent ? default : new(sent = html);
        });
    }

    /// <summary>
    /// /cita's channel. The appointment is read again only after one of its branch's appointment events (booked, moved,
    /// cancelled, checked in, missed: rare beside ticket events); once checked in, its ticket comes from the branch's shared views.
    /// </summary>
    async Task AppointmentAsync(HttpContext http, string code)
    {
        var booking = services.GetRequiredService<BookingService>();
        var clock = services.GetRequiredService<TimeProvider>();
        if (await booking.GetAsync(code, http.RequestAborted) is not { } appointment)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var (culture, branchId, stale) = (CultureInfo.CurrentUICulture, appointment.BranchId, 0);
        // Subscribed before the stream's own subscription, so the flag is set before the stream reads.
        using var own = views.Subscribe(branchId, e =>
        {
            if (e.Kind is QueueEventKind.AppointmentArrived or QueueEventKind.AppointmentsChanged or QueueEventKind.Resync) Volatile.Write(ref stale, 1);
            return Task.CompletedTask;
        });
        (AppointmentView, TicketStatusView?, bool)? sent = null;
        await StreamAsync(http, branchId, async ct =>
        {
            if (Interlocked.Exchange(ref stale, 0) == 1) appointment = await booking.GetAsync(code, ct) ?? appointment;
            var ticket = appointment.TicketCode is { } t ? (await views.GetAsync(branchId, ct))?.Status(t) ?? await queries.GetStatusAsync(t, ct) : null;
            var state = (appointment, ticket, AppointmentDetails.CanChangeAt(appointment, clock.GetUtcNow().UtcDateTime));
            var final = !AppointmentDetails.IsLive(appointment, ticket);
            if (state == sent) return new(Final: final);
            sent = state;
            return new(await RenderAsync<AppointmentDetails>(culture, new()
            {
                [nameof(AppointmentDetails.Appointment)] = appointment,
                [nameof(AppointmentDetails.Ticket)] = ticket,
                [nameof(AppointmentDetails.CanChange)] = state.Item3,
            }), final);
        });
    }

    readonly ConditionalWeakTable<BranchViews, System.Collections.Concurrent.ConcurrentDictionary<string, Task<string>>> lines = new();

    /// <summary>What to send a page: a fresh fragment, or the ticket's new place in the line, or nothing; and whether the page is final.</summary>
    readonly record struct Update(string? Html = null, bool Final = false, (int Ahead, int Minutes)? Position = null);

    /// <summary>
    /// Sends <paramref name="next"/>'s fragment now, then after each of the branch's events and every <see cref="FallbackInterval"/>,
    /// until the client goes or <paramref name="next"/> says the page is final. Its first answer is always the whole fragment.
    /// </summary>
    async Task StreamAsync(HttpContext http, int branchId, Func<CancellationToken, Task<Update>> next)
    {
        var ct = http.RequestAborted;
        if (http.Request.Query.ContainsKey("once"))
        {
            var update = await next(ct);
            http.Response.Headers.CacheControl = "no-store";
            await Results.Content(update.Html, "text/html; charset=utf-8").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: stream, don't buffer
        // One pending signal is enough: the next read sees every event before it.
        var changed = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var subscription = views.Subscribe(branchId, _ =>
        {
            changed.Writer.TryWrite(true);
            return Task.CompletedTask;
        });
        // Written straight to the response (no writer of its own): an idle watcher keeps no buffers.
        var response = http.Response;
        await response.WriteAsync($"retry: {(int)TimeSpan.FromSeconds(3).TotalMilliseconds}\n\n", ct);
        // One timer per stream, re-armed for each wait (not one per event: an event wakes every watcher of the branch).
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (true)
            {
                var update = await next(ct);
                if (update.Html is not null) await response.WriteAsync(Event("status", update.Html), ct);
                else if (update.Position is (int ahead, int minutes)) WritePosition(response.BodyWriter, ahead, minutes);
                if (update.Final)
                {
                    await response.WriteAsync(Event("end", ""), ct);
                    return;
                }
                await response.BodyWriter.FlushAsync(ct);
                if (changed.Reader.TryRead(out _)) continue;
                timeout.CancelAfter(FallbackInterval);
                try
                {
                    await changed.Reader.ReadAsync(timeout.Token);
                    if (!timeout.TryReset()) throw new OperationCanceledException(); // the timer fired meanwhile: a new one below
                    await Task.Delay(Settle, ct);
                    changed.Reader.TryRead(out _); // events meanwhile: the read below sees them
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    // A dead connection shows up on the ping; proxies keep it open.
                    await response.WriteAsync(": ping\n\n", ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { /* the page was closed */ }
        catch (IOException) when (ct.IsCancellationRequested) { }
        finally { timeout.Dispose(); }
    }

    /// <summary>"event: pos" with the ticket's people ahead and estimated minutes: numbers only, written without a string.</summary>
    static void WritePosition(PipeWriter body, int ahead, int minutes)
    {
        var span = body.GetSpan(64);
        if (!Utf8.TryWrite(span, CultureInfo.InvariantCulture, $"event: pos\ndata: {{\"ahead\":{ahead},\"minutes\":{minutes}}}\n\n", out var written))
            throw new InvalidOperationException("A position event is longer than 64 bytes.");
        body.Advance(written);
    }

    static string Event(string name, string data)
    {
        var text = new StringBuilder($"event: {name}\n");
        foreach (var line in data.Split('\n')) text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        return text.Append('\n').ToString();
    }

    /// <summary>The component's HTML in the page's language: the same markup the page shows.</summary>
    async Task<string> RenderAsync<T>(CultureInfo culture, Dictionary<string, object?> parameters) where T : IComponent
    {
        // A renderer per fragment: HtmlRenderer keeps its root components until it is disposed.
        await using var renderer = new HtmlRenderer(services, logs);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, culture);
            var root = await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters));
            return root.ToHtmlString();
        });
    }
}
