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

    /// <summary>3,000 signed POSTs (one text message each, distinct senders) from 16 concurrent clients; the worker and the bot run meanwhile.</summary>
    public static async Task IngestAsync()
    {
        const int requests = 3000, clients = 16;
        // Production closes the webhook while WhatsApp is in Simulator mode (SimulatorGate): the Cloud API mode, against a fake Graph API.
        await using var graph = await FakeGraphAsync(new());
        await using var app = new Bench.App(new Dictionary<string, string>
        {
            ["WhatsApp:AppSecret"] = Secret, ["RateLimits:Webhook:PermitLimit"] = "100000000",
            ["WhatsApp:Mode"] = "CloudApi", ["WhatsApp:GraphApiBaseUrl"] = graph.Urls.First() + "/v23.0/",
            ["WhatsApp:PhoneNumberId"] = PhoneNumberId, ["WhatsApp:AccessToken"] = "bench-token", ["WhatsApp:VerifyToken"] = "bench-verify",
        });
        app.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        app.StartServer();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var bodies = Enumerable.Range(0, requests).Select(i => Encoding.UTF8.GetBytes(
            MetaPayloads.Text($"5730{i:00000000}", $"wamid.BENCH{i}", "hola", DateTime.UtcNow, PhoneNumberId))).ToArray();
        var latencies = new double[requests];
        var next = -1;
        var failures = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = content };
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(bodies[i], Secret));
                var sw = Stopwatch.StartNew();
                using var response = await http.SendAsync(request);
                latencies[i] = sw.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode && Interlocked.Increment(ref failures) == 1)
                    Console.WriteLine($"first failure: {(int)response.StatusCode} {response.StatusCode} {response.Headers.Location} {await response.Content.ReadAsStringAsync()}");
            }
        }));
        total.Stop();
        Array.Sort(latencies);
        Console.WriteLine($"webhook ingest: {requests / total.Elapsed.TotalSeconds:F0} requests/s, p50 {latencies[requests / 2]:F1} ms, p99 {latencies[(int)(requests * 0.99)]:F1} ms, {failures} failures ({clients} clients, {requests} signed POSTs)");
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
