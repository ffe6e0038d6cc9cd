using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TurnoDigital.Core;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;

/// <summary>WhatsApp figures: signed webhook ingest over loopback HTTP, and outbox dispatch against a fake Graph API.</summary>
static class WhatsAppBench
{
    const string Secret = "bench-secret", PhoneNumberId = "1";

    /// <summary>
    /// Signed POSTs (one text message each, distinct senders) offered open-loop at <paramref name="rate"/> per second for
    /// <paramref name="seconds"/> s, as Meta sends them: a slow answer does not slow the arrivals. Latency counts from the
    /// scheduled send time, so a stall on our side is not hidden by the client waiting. The worker and the bot run meanwhile.
    /// The app runs in a child process ("webhook-server"): Meta and its Graph API are not in our process, so this client and
    /// the fake Graph API (in this process) share the machine's cores with the app but not its thread pool or its GC.
    /// </summary>
    public static async Task IngestAsync(int rate, int seconds)
    {
        var requests = rate * seconds;
        // Production closes the webhook while WhatsApp is in Simulator mode (SimulatorGate): the Cloud API mode, against a fake Graph API.
        await using var graph = await FakeGraphAsync(new());
        using var server = new ChildServer("webhook-server", graph.Urls.First() + "/v23.0/");
        var baseUrl = await server.AskAsync("url");
        // Meta keeps no cookies; without them the client's own cost stays out of the figures as far as it can.
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(baseUrl) };
        var run = Guid.NewGuid().ToString("N")[..6];
        var bodies = Enumerable.Range(0, requests).Select(i => Encoding.UTF8.GetBytes(
            MetaPayloads.Text($"5730{i % 100_000_000:00000000}", $"wamid.BENCH{run}{i}", "hola", DateTime.UtcNow, PhoneNumberId))).ToArray();
        var signatures = bodies.Select(b => WebhookSignature.Sign(b, Secret)).ToArray();
        // Warm-up, not measured: two seconds at the offered rate pay for JIT tiering and connection set-up, as a server that
        // has been up for a while would have paid them.
        await OfferAsync(2 * rate, rate, (w, _, _) =>
            PostAsync(http, Encoding.UTF8.GetBytes(MetaPayloads.Text($"5731{w:00000000}", $"wamid.WARM{run}{w}", "hola", DateTime.UtcNow, PhoneNumberId))));

        var latencies = new double[requests];
        var failures = 0;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var cpuBefore = server.CpuSeconds();
        var elapsed = await OfferAsync(requests, rate, async (n, due, clock) =>
        {
            var status = await PostAsync(http, bodies[n], signatures[n]);
            latencies[n] = clock.Elapsed.TotalMilliseconds - due;
            if (status != System.Net.HttpStatusCode.OK && Interlocked.Increment(ref failures) == 1) Console.WriteLine($"first failure: {(int)status} {status}");
        });
        var serverCpu = (server.CpuSeconds() - cpuBefore) / elapsed;
        var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(requests - 1, (int)(requests * q))];
        var counts = await server.AskAsync("counts");
        Console.WriteLine($"webhook ingest: offered {rate}/s for {seconds} s, achieved {requests / elapsed:F0} requests/s; p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, " +
            $"p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms; {failures} failures; app process {serverCpu:F2} cores; load average {load} → {loadAfter} (1 min); " +
            $"meanwhile {counts}");
    }

    /// <summary>
    /// Starts <paramref name="count"/> sends open-loop, send n at n ÷ <paramref name="rate"/> seconds on the clock passed to
    /// it (with its due time in milliseconds), and waits for all of them; returns the seconds from the first send to the last answer.
    /// </summary>
    static async Task<double> OfferAsync(int count, int rate, Func<int, double, Stopwatch, Task> send)
    {
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = i * 1000.0 / rate;
            if (due > clock.Elapsed.TotalMilliseconds + 1) await Task.Delay(TimeSpan.FromMilliseconds(due - clock.Elapsed.TotalMilliseconds));
            tasks.Add(send(i, due, clock));
        }
        await Task.WhenAll(tasks);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The child of <see cref="IngestAsync"/>: the app in Cloud API mode against the parent's fake Graph API at <paramref name="graphUrl"/>.</summary>
    public static async Task ServeAsync(string graphUrl)
    {
        await using var app = new Bench.App(new Dictionary<string, string>
        {
            ["WhatsApp:AppSecret"] = Secret, ["RateLimits:Webhook:PermitLimit"] = "100000000",
            ["WhatsApp:Mode"] = "CloudApi", ["WhatsApp:GraphApiBaseUrl"] = graphUrl,
            ["WhatsApp:PhoneNumberId"] = PhoneNumberId, ["WhatsApp:AccessToken"] = "bench-token", ["WhatsApp:VerifyToken"] = "bench-verify",
        });
        app.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        app.StartServer();
        Console.WriteLine(ChildServer.Tag + app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        while (Console.ReadLine() is { } command)
        {
            if (command != "counts") continue;
            await using var read = await app.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
            Console.WriteLine(ChildServer.Tag + $"the worker processed {await read.WebhookInbox.CountAsync(i => i.ProcessedAt != null)} payloads " +
                $"and the bot answered {await read.InboundMessages.CountAsync(m => m.HandledAt != null)} messages");
        }
    }

    static async Task<System.Net.HttpStatusCode> PostAsync(HttpClient http, byte[] body, string? signature = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
        request.Headers.Add(WebhookSignature.Header, signature ?? WebhookSignature.Sign(body, Secret));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Pending messages to distinct recipients drained at MessagesPerSecond; the rate is measured at the fake Graph API.</summary>
    public static async Task DispatchAsync(int perSecond, int seconds)
    {
        var count = perSecond * seconds;
        var stamps = new System.Collections.Concurrent.ConcurrentBag<long>();
        await using var fake = await FakeGraphAsync(stamps);

        var folder = Directory.CreateTempSubdirectory("turno-bench-outbox-").FullName;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "turno.db")}",
            ["Demo:Seed"] = "true", ["Demo:Password"] = "TurnoDemo2026",
            ["WhatsApp:Mode"] = "CloudApi", ["WhatsApp:GraphApiBaseUrl"] = fake.Urls.First() + "/v23.0/",
            ["WhatsApp:PhoneNumberId"] = PhoneNumberId, ["WhatsApp:AccessToken"] = "t", ["WhatsApp:MessagesPerSecond"] = perSecond.ToString(),
        }).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSingleton<IQueueNotifier, NoNotifier>();
        services.AddTurnoCore(config, folder);
        await using var sp = services.BuildServiceProvider();
        await sp.InitializeTurnoDatabaseAsync();
        await using (var db = sp.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var now = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                var to = $"5731{i:00000000}";
                db.WhatsAppContacts.Add(new WhatsAppContact { WaId = to, LastInboundAt = now, StateUpdatedAt = now });
                db.Outbox.Add(new OutboxMessage { DedupeKey = $"bench:{i}", To = to, Kind = MessageKind.Reply, Content = Outbox.Serialize(new OutgoingContent("Hola")), CreatedAt = now, NextAttemptAt = now });
            }
            await db.SaveChangesAsync();
        }
        var dispatcher = sp.GetRequiredService<OutboxDispatcher>();
        var wall = Stopwatch.StartNew();
        while (stamps.Count < count && wall.Elapsed < TimeSpan.FromSeconds(seconds * 3)) await dispatcher.DispatchDueAsync();
        var sorted = stamps.Order().ToArray();
        // From the first send to the last: the sustained rate, and the busiest second as the API saw it (the limit Meta enforces).
        var span = Stopwatch.GetElapsedTime(sorted[0], sorted[^1]).TotalSeconds;
        var rate = (sorted.Length - 1) / span;
        var busiest = sorted.Select((t, i) => sorted.Skip(i).TakeWhile(u => Stopwatch.GetElapsedTime(t, u) < TimeSpan.FromSeconds(1)).Count()).Max();
        Console.WriteLine($"outbox dispatch at MessagesPerSecond={perSecond}: {rate:F1} messages/s ({rate / perSecond:P0} of the limit), busiest second {busiest}, {sorted.Length}/{count} sent in {wall.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>A Graph API on loopback that accepts every send and stamps its arrival.</summary>
    static async Task<WebApplication> FakeGraphAsync(System.Collections.Concurrent.ConcurrentBag<long> stamps)
    {
        var graph = WebApplication.CreateSlimBuilder();
        graph.WebHost.UseUrls("http://127.0.0.1:0");
        graph.Logging.ClearProviders();
        var fake = graph.Build();
        var n = 0;
        fake.MapPost("/{v}/{pnid}/messages", () =>
        {
            stamps.Add(Stopwatch.GetTimestamp());
            return Results.Json(new { messaging_product = "whatsapp", messages = new[] { new { id = $"wamid.B{Interlocked.Increment(ref n)}" } } });
        });
        await fake.StartAsync();
        return fake;
    }

    sealed class NoNotifier : IQueueNotifier { public void Publish(QueueEvent e) { } }
}
