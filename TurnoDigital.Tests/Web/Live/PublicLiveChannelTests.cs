using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Live;

/// <summary>
/// The public phone pages without a circuit: /t/{code} and /fila/{branch} are static pages kept live by a Server-Sent Events
/// channel each (public: /t's by its unguessable code, /fila's by branch with counts only); their forms post with antiforgery.
/// </summary>
public class PublicLiveChannelTests(PublicLiveChannelTests.Factory factory) : IClassFixture<PublicLiveChannelTests.Factory>
{
    public sealed class Factory : BuiltWebFactory
    {
        public readonly CommandCounter Commands = new();

        public Factory() => ConfigureTestServices = Commands.AddTo;

        protected override Task SeedAsync(IServiceProvider services) => services.SaveAsync(A.Branch("Sede Prueba")
            .With(A.Service("Caja").WalkIn().Remote(RemoteArrivalRule.LiveAtOnce))
            .WithCounter("Ventanilla 1", "Caja"));
    }

    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    async Task<(int BranchId, int CajaId, int CounterId)> BranchAsync()
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var caja = await db.Services.AsNoTracking().SingleAsync();
        return (caja.BranchId, caja.Id, await db.Counters.Select(c => c.Id).SingleAsync());
    }

    QueueService Queue => factory.Services.GetRequiredService<QueueService>();
    QueueQueries Queries => factory.Services.GetRequiredService<QueueQueries>();

    /// <summary>Serves whatever the counter called, so it may call again; the branch's views are read again meanwhile.</summary>
    async Task FreeCounterAsync(int branchId, int counterId)
    {
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            foreach (var t in await db.Tickets.AsNoTracking().Where(t => t.CounterId == counterId && t.Status == TicketStatus.Called).ToListAsync())
            {
                var serving = await Queue.StartAsync(t.Id, t.Version, "agent-1");
                await Queue.CompleteAsync(serving.Id, serving.Version, "agent-1", null);
            }
        await factory.Services.GetRequiredService<TurnoDigital.Core.Live.QueueViewCache>().GetAsync(branchId);
    }

    [Fact]
    public async Task Unknown_codes_are_a_clear_404_for_the_page_and_its_live_channel()
    {
        var client = factory.Browser();
        var page = await client.GetAsync("/t/zzzzzzzzzz");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("No encontramos", await page.HtmlAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/t/zzzzzzzzzz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/t/zzzzzzzzzz/live?once=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fila/987654/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/t/{new string('x', 300)}/live")).StatusCode);
    }

    [Fact]
    public async Task The_ticket_page_is_static_and_its_channel_sends_each_change()
    {
        var (branchId, cajaId, counterId) = await BranchAsync();
        var ticket = await Queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));
        var client = factory.Browser();
        var html = await client.GetHtmlAsync($"/t/{ticket.Code}");
        Assert.Contains("data-interactive=\"no\"", html); // no circuit: nothing on the page is interactive
        Assert.Contains($"data-live-src=\"t/{ticket.Code}/live\"", html);

        await FreeCounterAsync(branchId, counterId);
        await using var live = await SseStream.OpenAsync(client, $"/t/{ticket.Code}/live");
        Assert.Contains("data-testid=\"status\">En espera<", await live.NextAsync("status", Patience));
        await Queue.CallNextAsync(counterId, "agent-1");
        var called = WebUtility.HtmlDecode(await live.NextAsync("status", Patience));
        Assert.Contains("Diríjase a Ventanilla 1", called);
        Assert.Contains(ticket.Number, called);
        // The fallback fetch answers the same fragment.
        Assert.Contains("Diríjase a Ventanilla 1", await client.GetHtmlAsync($"/t/{ticket.Code}/live?once=1"));
    }

    [Fact]
    public async Task A_move_up_the_line_is_a_small_event_of_two_numbers_and_no_event_names_anyone_else()
    {
        var (branchId, cajaId, counterId) = await BranchAsync();
        await FreeCounterAsync(branchId, counterId);
        // Two people before the watched ticket, one with a phone number; one after it.
        var first = await Queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, cajaId, Channel.Web, Guid.NewGuid(), "3001112233", true, true));
        var second = await Queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));
        var watched = await Queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, cajaId, Channel.Web, Guid.NewGuid(), "3004445566", false, true));
        var after = await Queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, cajaId, Channel.Web, Guid.NewGuid(), "3007778899", false, true));
        var client = factory.Browser();
        await using var live = await SseStream.OpenAsync(client, $"/t/{watched.Code}/live");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // the class's other tests may leave people in line
        var events = new List<(string Kind, string Data)> { await live.NextEventAsync(timeout.Token) };
        Assert.Equal("status", events[0].Kind); // the whole card first
        var ahead = int.Parse(System.Text.RegularExpressions.Regex.Match(events[0].Data, "data-testid=\"people-ahead\"[^>]*>(\\d+)<").Groups[1].Value);
        Assert.True(ahead >= 2, $"{ahead} ahead");

        // Each call before it moves it up one place: an event of two numbers, never the card again.
        while (ahead > 0)
        {
            await Queue.CallNextAsync(counterId, "agent-1");
            ahead--;
            while (true)
            {
                var e = await live.NextEventAsync(timeout.Token);
                events.Add(e);
                Assert.Equal("pos", e.Kind);
                Assert.Matches("^\\{\"ahead\":\\d+,\"minutes\":\\d+\\}$", e.Data);
                using var pos = System.Text.Json.JsonDocument.Parse(e.Data);
                if (pos.RootElement.GetProperty("ahead").GetInt32() == ahead) break;
            }
            await FreeCounterAsync(branchId, counterId);
        }
        // Its own call changes what the card says: the whole card again.
        await Queue.CallNextAsync(counterId, "agent-1");
        var called = await live.NextAsync("status", Patience);
        Assert.Contains("Diríjase a Ventanilla 1", WebUtility.HtmlDecode(called));
        events.Add(("status", called));

        string[] others;
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            others = await db.Tickets.Where(t => t.Code != watched.Code).Select(t => t.Code).ToArrayAsync();
        Assert.Contains(first.Code, others);
        foreach (var (_, data) in events)
            foreach (var secret in others.Concat(["3001112233", "3004445566", "3007778899", second.Number, after.Number]))
                Assert.DoesNotContain(secret, data);
    }

    [Fact]
    public async Task Cancel_is_a_form_post_with_antiforgery_that_asks_once()
    {
        var (branchId, cajaId, _) = await BranchAsync();
        var ticket = await Queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, cajaId, Channel.Web, Guid.NewGuid(), "3001234567", false, true));
        var client = factory.Browser();
        var url = $"/t/{ticket.Code}";

        var asked = await client.SubmitAsync(url, "cancel-ticket", new() { ["Step"] = "ask" });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("¿Seguro que quiere cancelar este turno?", await asked.HtmlAsync());
        Assert.Equal(TicketStatus.Waiting, (await Queries.GetStatusAsync(ticket.Code))!.Status);

        // Without the antiforgery token nothing happens.
        var forged = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "cancel-ticket", ["Step"] = "confirm" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(TicketStatus.Waiting, (await Queries.GetStatusAsync(ticket.Code))!.Status);

        var cancelled = await client.SubmitAsync(url, "cancel-ticket", new() { ["Step"] = "confirm" });
        var html = await cancelled.HtmlAsync();
        Assert.Contains("data-testid=\"status\">Turno cancelado<", html);
        Assert.DoesNotContain("data-action=\"cancel-ticket\"", html);
        Assert.Equal(TicketStatus.Cancelled, (await Queries.GetStatusAsync(ticket.Code))!.Status);
    }

    [Fact]
    public async Task The_fila_channel_sends_counts_only_and_tomar_turno_posts_a_form()
    {
        var (branchId, cajaId, _) = await BranchAsync();
        var client = factory.Browser();
        await using var live = await SseStream.OpenAsync(client, $"/fila/{branchId}/live");
        var first = await live.NextAsync("status", Patience);
        Assert.Contains($"data-service=\"{cajaId}\"", first);
        var waiting = int.Parse(System.Text.RegularExpressions.Regex.Match(first, "data-testid=\"waiting\">(\\d+)<").Groups[1].Value);

        var url = $"/fila/{branchId}?servicio={cajaId}";
        var refused = await client.SubmitAsync(url, "take-ticket", new() { ["Phone"] = "123", ["DataPolicy"] = "true" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Escriba un celular de 10 dígitos", await refused.HtmlAsync());
        var noPolicy = await client.SubmitAsync(url, "take-ticket", new() { ["Phone"] = "3157654321" });
        Assert.Contains("debe aceptar la política de tratamiento de datos", await noPolicy.HtmlAsync());

        var taken = await client.SubmitAsync(url, "take-ticket", new() { ["Phone"] = "3157654321", ["WhatsApp"] = "true", ["DataPolicy"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        var code = taken.Headers.Location!.ToString().Split("/t/")[1];
        Assert.Equal(TicketStatus.Waiting, (await Queries.GetStatusAsync(code))!.Status); // live at once: in line

        // The watchers see the count move, and never who is waiting.
        string next;
        do next = await live.NextAsync("status", Patience);
        while (!next.Contains($"data-testid=\"waiting\">{waiting + 1}<"));
        foreach (var personal in new[] { "3157654321", "573157654321", code }) Assert.DoesNotContain(personal, next);
    }

    [Fact]
    public async Task One_queue_event_costs_the_same_queries_for_one_watcher_as_for_twenty_five()
    {
        var (branchId, cajaId, counterId) = await BranchAsync();
        await FreeCounterAsync(branchId, counterId);
        var tickets = new List<TicketStatusView>();
        for (var i = 0; i < 22; i++) tickets.Add(await Queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid())));
        var client = factory.Browser();

        async Task<Dictionary<string, int>> QueriesOfOneCallAsync(IReadOnlyList<SseStream> watchers)
        {
            foreach (var w in watchers) await w.NextAsync("status", Patience); // each one's first state
            factory.Commands.Reset();
            await Queue.CallNextAsync(counterId, "agent-1");
            using var timeout = new CancellationTokenSource(Patience);
            foreach (var w in watchers) await w.NextEventAsync(timeout.Token); // everyone moved up one place (/t: "pos", /fila: "status")
            var commands = factory.Commands.ByText();
            await FreeCounterAsync(branchId, counterId);
            return commands;
        }

        await using (var one = await SseStream.OpenAsync(client, $"/t/{tickets[^1].Code}/live"))
        {
            var alone = await QueriesOfOneCallAsync([one]);
            var watchers = new List<SseStream>();
            foreach (var t in tickets.Skip(2)) watchers.Add(await SseStream.OpenAsync(client, $"/t/{t.Code}/live"));
            for (var i = 0; i < 5; i++) watchers.Add(await SseStream.OpenAsync(client, $"/fila/{branchId}/live"));
            Assert.Equal(25, watchers.Count);
            var all = await QueriesOfOneCallAsync(watchers);
            foreach (var w in watchers) await w.DisposeAsync();
            Assert.True(alone.Count > 0);
            // Compared read by read: a read per watcher repeats one command at least 24 more times, while a background job or a
            // second read of the shared views (the clock aged them) adds a handful of different ones. Watchers never write; a
            // background job's writes (the dispatcher's first send stores its 20 send permits) are not theirs.
            var (command, extra) = all.Where(c => c.Key.StartsWith("SELECT", StringComparison.Ordinal))
                .Select(c => (c.Key, c.Value - alone.GetValueOrDefault(c.Key))).MaxBy(c => c.Item2);
            Assert.True(extra < watchers.Count / 2,
                $"{extra} more runs of {command} for 25 watchers:\n{CommandCounter.Summary(all)}\n\nagainst one:\n{CommandCounter.Summary(alone)}");
        }
    }
}

/// <summary>Reads a Server-Sent Events stream the way EventSource does: "event:" and "data:" lines up to a blank line.</summary>
sealed class SseStream : IAsyncDisposable
{
    readonly HttpResponseMessage response;
    readonly StreamReader reader;

    SseStream(HttpResponseMessage response, Stream body) => (this.response, reader) = (response, new StreamReader(body));

    public static async Task<SseStream> OpenAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The data of the next event named <paramref name="name"/>; fails after <paramref name="patience"/>.</summary>
    public async Task<string> NextAsync(string name, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (true)
            if (await NextEventAsync(timeout.Token) is (var kind, var data) && kind == name) return data;
    }

    /// <summary>The next named event (comments and the retry line skipped).</summary>
    public async Task<(string Kind, string Data)> NextEventAsync(CancellationToken ct)
    {
        string? kind = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) kind = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line[6..]);
            else if (line.Length == 0)
            {
                if (kind is not null) return (kind, string.Join('\n', data));
                data = [];
            }
        }
        throw new InvalidOperationException("The stream ended.");
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
