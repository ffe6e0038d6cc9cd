using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Localization;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>The live server with a one-second highlight, so five queued calls pass in seconds.</summary>
public sealed class QuickBoardServer() : LiveServer(new Dictionary<string, string> { ["Display:HighlightSeconds"] = "1" });

/// <summary>"A board that never loses a call": five agents call in the same second.</summary>
[Collection(BrowserCollection.Name)]
public class BoardCallsTests(QuickBoardServer server) : IClassFixture<QuickBoardServer>
{
    // Records what the board says (and the cancel before each utterance); onend comes quickly.
    const string SpeechStub = """
        window.__spoken = []; window.__cancels = 0;
        const voice = { lang: 'es-CO', name: 'Stub', default: true, localService: true, voiceURI: 'stub' };
        Object.defineProperty(window, 'speechSynthesis', { value: {
            getVoices: () => [voice], cancel() { window.__cancels++; }, onvoiceschanged: null,
            speak(u) { window.__spoken.push(u.text); setTimeout(() => u.onend && u.onend(), 10); } } });
        """;

    [Fact]
    public async Task Five_simultaneous_calls_are_each_shown_large_announced_in_order_and_listed()
    {
        var services = server.Factory.Services;
        var queue = services.GetRequiredService<QueueService>();
        int branchId, cajaId, infoId;
        Dictionary<int, string> counters;
        string latest;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            // The demo has three counters; Caja gets five: Ventanilla 1-2, 3 (added) and two new ones.
            var caja = await db.Services.SingleAsync(s => s.Name == "Caja");
            (branchId, cajaId) = (caja.BranchId, caja.Id);
            infoId = await db.Services.Where(s => s.Name == "Información").Select(s => s.Id).SingleAsync();
            (await db.Counters.Include(c => c.Services).SingleAsync(c => c.Name == "Ventanilla 3")).Services.Add(caja);
            db.Counters.Add(new Counter { BranchId = branchId, Name = "Ventanilla 4", Services = [caja] });
            db.Counters.Add(new Counter { BranchId = branchId, Name = "Ventanilla 5", Services = [caja] });
            await db.SaveChangesAsync();
            counters = await db.Counters.Where(c => c.Services.Any(s => s.Id == cajaId)).OrderBy(c => c.Name).ToDictionaryAsync(c => c.Id, c => c.Name);
        }
        Assert.Equal(5, counters.Count);
        Task<TicketStatusView> Issue(int serviceId) =>
            queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, TurnoDigital.Core.Common.Channel.Kiosk, Guid.NewGuid()));

        var board = await server.NewPageAsync(1920, 1080);
        await board.AddInitScriptAsync(SpeechStub);
        await board.GotoAsync("/display");
        await board.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await board.ClickAsync("button[type=submit]");
        await InteractiveAsync(board);
        await Expect(board.Locator("[data-interactive=yes] .board__lines li").First).ToBeVisibleAsync(); // live, subscribed

        // An earlier call, announced and done before the rush.
        await Issue(infoId);
        var earlier = (await queue.CallNextAsync(counters.Single(c => c.Value == "Ventanilla 3").Key, "agent-0"))!;
        await board.WaitForFunctionAsync("() => window.__spoken.length === 1 && !document.querySelector('.board__call--highlight')");

        // Five agents call in the same second. "Call order" is the order the server published the calls in.
        for (var i = 0; i < 5; i++) await Issue(cajaId);
        var published = new ConcurrentQueue<long>();
        using (services.GetRequiredService<IQueueEventSource>().Subscribe(branchId, e =>
               {
                   if (e.Kind == QueueEventKind.TicketCalled && e.TicketId is long id && id != earlier.Id) published.Enqueue(id);
                   return Task.CompletedTask;
               }))
        {
            var calls = await Task.WhenAll(counters.Keys.Select((counterId, i) => queue.CallNextAsync(counterId, $"agent-{i + 1}")));
            Assert.All(calls, Assert.NotNull);
            var byId = calls.ToDictionary(t => t!.Id, t => t!);
            Assert.Equal(5, published.Count); // published before CallNextAsync returns
            var inOrder = published.Select(id => byId[id]).ToList();
            var numbers = inOrder.Select(t => t.Number).ToArray();
            var expectedSpeech = inOrder.Select(t => Speech.Call(t.Number, counters[t.CounterId!.Value])).ToArray();

            // The recent list holds all five (and the earlier call), with no personal data.
            await board.WaitForFunctionAsync("nums => nums.every(n => document.querySelector(`.board__recent li[data-ticket='${n}']`))",
                numbers.Append(earlier.Number).ToArray());

            // Each one was shown large and announced in turn, none skipped, none twice.
            await board.WaitForFunctionAsync("() => window.__spoken.length >= 6");
            await Expect(board.Locator(".board__call--highlight")).ToHaveCountAsync(0);
            var spoken = await Strings(board, "window.__spoken");
            var shown = await Strings(board, "window.__shown");
            Assert.Equal(Speech.Call(earlier.Number, "Ventanilla 3"), spoken[0]);
            Assert.Equal(expectedSpeech, spoken.Skip(1));
            Assert.All(spoken.Skip(1), s => Assert.Matches("^Turno A (uno|dos|tres|cuatro|cinco), ventanilla (uno|dos|tres|cuatro|cinco)$", s));
            Assert.Equal(numbers, shown.Skip(1));
            Assert.True(await board.EvaluateAsync<int>("() => window.__cancels") >= 6, "speechSynthesis.cancel() before each utterance");

            // Afterwards the big area keeps the last one announced.
            latest = inOrder.Last().Number;
            await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(latest);
            Assert.Equal(numbers.Length, numbers.Distinct().Count());
        }
        Assert.DoesNotContain("300", await board.Locator(".board").InnerTextAsync());

        // Sizes for a room: at 1920x1080 the number and the counter are at least 160 px tall.
        var number = (await board.Locator(".board__call--now .board__number").BoundingBoxAsync())!;
        var counter = (await board.Locator(".board__call--now .board__counter").BoundingBoxAsync())!;
        Assert.True(number.Height >= 160, $"number {number.Height} px tall");
        Assert.True(counter.Height >= 160, $"counter {counter.Height} px tall");
        await AssertNothingCutAsync(board);
        await Shot(board, "display-1920x1080.png");

        // On a 4K TV everything scales with the screen.
        await board.SetViewportSizeAsync(3840, 2160);
        await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(latest);
        var big = (await board.Locator(".board__call--now .board__number").BoundingBoxAsync())!;
        Assert.True(big.Height >= 2 * 160, $"number {big.Height} px tall at 3840x2160");
        await AssertNothingCutAsync(board);
        await Shot(board, "display-3840x2160.png");
    }

    [Fact]
    public async Task Without_speech_synthesis_a_call_and_its_recall_are_still_shown_and_highlighted()
    {
        var services = server.Factory.Services;
        var queue = services.GetRequiredService<QueueService>();
        var board = await server.NewPageAsync(1280, 720);
        var errors = new List<string>();
        board.PageError += (_, e) => errors.Add(e);
        await board.AddInitScriptAsync("Object.defineProperty(window, 'speechSynthesis', { value: undefined });"); // some TV browsers
        await board.GotoAsync("/display");
        await board.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await board.ClickAsync("button[type=submit]");
        await InteractiveAsync(board);
        await Expect(board.Locator("[data-interactive=yes] .board__lines li").First).ToBeVisibleAsync(); // live, subscribed

        int branchId, infoId, counterId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            (branchId, infoId) = await db.Services.Where(s => s.Name == "Información").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
            counterId = await db.Counters.Where(c => c.Name == "Ventanilla 1").Select(c => c.Id).SingleAsync();
        }
        await queue.IssueAsync(new IssueTicketRequest(branchId, infoId, TurnoDigital.Core.Common.Channel.Kiosk, Guid.NewGuid()));
        var call = (await queue.CallNextAsync(counterId, "agent-recall"))!;
        await board.WaitForFunctionAsync("n => window.__shown.filter(x => x === n).length === 1", call.Number);
        await Expect(board.Locator(".board__call--highlight .board__number")).ToHaveTextAsync(call.Number);
        await Expect(board.Locator(".board__call--highlight")).ToHaveCountAsync(0); // the highlight ends

        // A recall is queued, shown and highlighted again.
        await queue.RecallAsync(call.Id, call.Version, "agent-recall");
        await board.WaitForFunctionAsync("n => window.__shown.filter(x => x === n).length === 2", call.Number);
        await Expect(board.Locator(".board__call--highlight")).ToHaveCountAsync(0);
        await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(call.Number);
        Assert.Empty(errors);
    }

    /// <summary>Nothing on the board overflows its box or the screen.</summary>
    static async Task AssertNothingCutAsync(IPage board)
    {
        var cut = await board.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.board__number, .board__counter, .board__recent li, .board__lines li, .board__top span')]
                .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().bottom > innerHeight || e.getBoundingClientRect().right > innerWidth)
                .map(e => e.className + ': ' + e.textContent)
            """);
        Assert.Empty(cut);
    }

    static async Task<string[]> Strings(IPage page, string expression) =>
        JsonSerializer.Deserialize<string[]>(await page.EvaluateAsync<string>($"() => JSON.stringify({expression})"))!;
}
