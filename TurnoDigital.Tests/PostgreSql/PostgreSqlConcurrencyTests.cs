using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using Xunit.Abstractions;

namespace TurnoDigital.Tests.PostgreSql;

/// <summary>
/// Real concurrent writers, which SQLite (one writer at a time) never produces: two app instances on one PostgreSQL database,
/// each with its own connection pool, as two nodes would be.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public class PostgreSqlConcurrencyTests(PostgresCluster cluster, ITestOutputHelper output)
{
    /// <summary>Two nodes on the same fresh database; the first seeds the shared organization before the second starts.</summary>
    async Task<TurnoWebFactory[]> NodesAsync()
    {
        var settings = PostgresCluster.Settings(await cluster.NewDatabaseAsync()).ToDictionary(kv => kv.Key, kv => kv.Value!);
        var a = new TurnoWebFactory { Settings = settings };
        _ = a.Services; // started and seeded
        var b = new TurnoWebFactory { Settings = settings };
        _ = b.Services;
        return [a, b];
    }

    [Fact]
    public async Task Twenty_clients_issue_a_thousand_tickets_through_two_nodes_numbered_without_gaps_or_errors()
    {
        var nodes = await NodesAsync();
        try
        {
            int branchId; int[] serviceIds;
            await using (var db = Db(nodes[0]))
            {
                var services = await db.Services.AsNoTracking().Where(s => s.Name == "Caja" || s.Name == "Información").ToListAsync();
                branchId = services[0].BranchId;
                serviceIds = services.Select(s => s.Id).ToArray();
            }
            const int clients = 20, perClient = 50;
            var accepted = new ConcurrentDictionary<string, string>(); // idempotency key → ticket code
            var errors = new ConcurrentBag<string>();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                using var http = nodes[c % 2].CreateClient();
                http.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
                for (var i = 0; i < perClient; i++)
                {
                    var key = $"load-{c}-{i}";
                    var body = new { branchId, serviceId = serviceIds[(c + i) % serviceIds.Length] };
                    // Every tenth request is retried with the same key, as a client that lost the answer would: same ticket back.
                    for (var send = 0; send < (i % 10 == 0 ? 2 : 1); send++)
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(body) };
                        request.Headers.Add("Idempotency-Key", key);
                        using var r = await http.SendAsync(request);
                        var text = await r.Content.ReadAsStringAsync();
                        if (r.StatusCode != HttpStatusCode.Created) { errors.Add($"{key}: {(int)r.StatusCode} {text}"); continue; }
                        var code = JsonNode.Parse(text)!["code"]!.GetValue<string>();
                        if (accepted.GetOrAdd(key, code) != code) errors.Add($"{key}: a retry got another ticket");
                    }
                }
            }))).WaitAsync(TimeSpan.FromMinutes(3));
            output.WriteLine($"{clients * perClient} tickets (+{clients * perClient / 10} retries) through two nodes on PostgreSQL in {watch.Elapsed.TotalSeconds:0.0} s");

            Assert.Empty(errors.Take(5));
            Assert.Equal(clients * perClient, accepted.Count);
            await using var check = Db(nodes[0]);
            var tickets = await check.Tickets.AsNoTracking().Select(t => new { t.Code, t.ServiceId, t.ServiceDay, t.Sequence, t.Number }).ToListAsync();
            Assert.Equal(clients * perClient, tickets.Count);
            Assert.True(accepted.Values.ToHashSet().SetEquals(tickets.Select(t => t.Code)), "every accepted ticket exists, once");
            foreach (var line in tickets.GroupBy(t => new { t.ServiceId, t.ServiceDay }))
            {
                Assert.Equal(Enumerable.Range(1, line.Count()), line.Select(t => t.Sequence).Order()); // from 1 (the first of the day too), no gap, no repeat
                Assert.Equal(line.Count(), line.Select(t => t.Number).Distinct().Count());
            }
        }
        finally { foreach (var n in nodes) await n.DisposeAsync(); }
    }

    [Fact]
    public async Task Agents_on_two_nodes_drain_a_line_each_ticket_called_once()
    {
        var nodes = await NodesAsync();
        try
        {
            const int tickets = 150, agents = 20;
            await using (var db = Db(nodes[0]))
            {
                var services = await db.Services.AsNoTracking().Where(s => s.Name == "Caja" || s.Name == "Información").ToListAsync();
                var queue = nodes[0].Services.GetRequiredService<QueueService>();
                for (var i = 0; i < tickets; i++)
                {
                    var s = services[i % services.Count];
                    await queue.IssueAsync(new IssueTicketRequest(s.BranchId, s.Id, Channel.Kiosk, Guid.NewGuid()));
                }
            }
            int[] counters;
            await using (var db = Db(nodes[0]))
                counters = await db.Counters.AsNoTracking().Where(c => c.Services.Any(s => s.Name == "Caja" || s.Name == "Información")).Select(c => c.Id).ToArrayAsync();

            var called = new ConcurrentBag<long>();
            var errors = new ConcurrentBag<string>();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, agents).Select(a => Task.Run(async () =>
            {
                var queue = nodes[a % 2].Services.GetRequiredService<QueueService>();
                var (counter, agent) = (counters[a % counters.Length], $"load-agent-{a}");
                while (true)
                {
                    Ticket? ticket;
                    try { ticket = await queue.CallNextAsync(counter, agent); }
                    catch (Exception ex) { errors.Add(ex.Message); return; }
                    if (ticket is null) return;
                    called.Add(ticket.Id);
                    var served = await queue.StartAsync(ticket.Id, ticket.Version, agent);
                    await queue.CompleteAsync(served.Id, served.Version, agent, null);
                }
            }))).WaitAsync(TimeSpan.FromMinutes(3));
            output.WriteLine($"{agents} agents on two nodes called {called.Count} tickets in {watch.Elapsed.TotalSeconds:0.0} s");

            Assert.Empty(errors.Take(5));
            Assert.Equal(tickets, called.Count);
            Assert.Equal(tickets, called.Distinct().Count());
            await using var check = Db(nodes[0]);
            Assert.Equal(tickets, await check.Tickets.CountAsync(t => t.Status == TicketStatus.Completed && t.CallCount == 1));
        }
        finally { foreach (var n in nodes) await n.DisposeAsync(); }
    }

    [Fact]
    public async Task Parallel_first_bookings_of_a_slot_fill_its_places_without_a_key_violation()
    {
        await using var h = await CoreHarness.CreateAsync(PostgresCluster.Settings(await cluster.NewDatabaseAsync()));
        var tramites = await h.ServiceAsync("Trámites y certificados"); // 20-minute slots, two places
        var start = new DateTime(2026, 11, 26, 15, 20, 0, DateTimeKind.Utc); // tomorrow 10:20 in Bogotá: nobody has booked it, no slot row yet
        var bookings = h.Services.GetRequiredService<BookingService>();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            var who = new IntakeInput(DocumentType.CC, $"7100{i:00}", "María Pérez", $"30055500{i:00}", null)
                { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" } };
            try { return (await bookings.BookAsync(new BookingRequest(tramites.BranchId, tramites.Id, start, Channel.Web, who, Guid.NewGuid(), DataPolicyAccepted: true))).Code; }
            catch (SlotTakenException) { return null; }
        })));
        Assert.Equal(2, results.Count(r => r is not null));
        await using var db = h.Db();
        Assert.Equal(2, (await db.AppointmentSlots.SingleAsync()).Booked);
        Assert.Equal(2, await db.Appointments.CountAsync());
    }

    /// <summary>The webhook's group commit writes with its own prepared INSERT: on PostgreSQL too, from two nodes at once.</summary>
    [Fact]
    public async Task Webhook_payloads_posted_to_two_nodes_at_once_are_all_stored_with_their_time()
    {
        var nodes = await NodesAsync();
        try
        {
            var marker = "wamid.PG" + Guid.NewGuid().ToString("N");
            var now = nodes[0].Clock.GetUtcNow().UtcDateTime;
            var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => nodes[i % 2].Services.GetRequiredService<TurnoDigital.Core.WhatsApp.Transport.WebhookIngest>()
                .AcceptSignedAsync(TurnoDigital.Core.WhatsApp.Transport.MetaPayloads.Text($"5730033{i:00000}", $"{marker}.{i}", "Hola", now))));
            Assert.All(results, r => Assert.Equal(TurnoDigital.Core.WhatsApp.Transport.IngestResult.Stored, r));
            await using var db = Db(nodes[0]);
            var rows = await db.WebhookInbox.AsNoTracking().Where(i => i.Body.Contains(marker)).ToListAsync();
            Assert.Equal(40, rows.Count);
            Assert.Equal(40, rows.Select(r => r.Body).Distinct().Count());
            // UTC in, UTC out (a time-zone slip would move it by hours).
            Assert.All(rows, r => Assert.InRange(r.ReceivedAt, now.AddMinutes(-10), now.AddMinutes(10)));
        }
        finally { foreach (var n in nodes) await n.DisposeAsync(); }
    }

    static TurnoDbContext Db(TurnoWebFactory node) => node.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
}
