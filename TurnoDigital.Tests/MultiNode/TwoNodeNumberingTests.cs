using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace TurnoDigital.Tests.MultiNode;

/// <summary>Ticket numbers through nginx and two real app nodes on one PostgreSQL database.</summary>
[Collection(TwoNodeCollection.Name)]
public class TwoNodeNumberingTests(TwoNodeBed bed, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => bed.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Twenty_clients_issue_a_thousand_tickets_through_nginx_on_both_nodes_numbered_without_gaps_or_errors()
    {
        int branchId; int[] serviceIds;
        await using (var db = bed.Db())
        {
            var services = await db.Services.AsNoTracking().Where(s => s.Name == "Caja" || s.Name == "Información").ToListAsync();
            branchId = services[0].BranchId;
            serviceIds = services.Select(s => s.Id).ToArray();
        }
        var before = bed.Nginx.RequestsPerNode();
        const int clients = 20, perClient = 50;
        var accepted = new ConcurrentDictionary<string, string>(); // idempotency key → ticket code
        var errors = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();
        // Each client has its own affinity cookie, as each browser would: nginx spreads them over both nodes.
        using var start = new SemaphoreSlim(0);
        var runs = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = bed.ApiClient($"client-{c}-{Guid.NewGuid():N}");
            await start.WaitAsync(); // all at once: the first ticket of the day is contended on every line
            for (var i = 0; i < perClient; i++)
            {
                var key = $"load-{c}-{i}";
                var body = new { branchId, serviceId = serviceIds[(c + i) % serviceIds.Length] };
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var r = await http.SendAsync(request);
                var text = await r.Content.ReadAsStringAsync();
                if (r.StatusCode != HttpStatusCode.Created) { errors.Add($"{key}: {(int)r.StatusCode} {text}"); continue; }
                accepted.TryAdd(key, JsonNode.Parse(text)!["code"]!.GetValue<string>());
            }
        })).ToArray();
        start.Release(clients);
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(4));
        var perNode = Delta(before, bed.Nginx.RequestsPerNode());
        output.WriteLine($"{clients * perClient} tickets through nginx and two nodes on PostgreSQL in {watch.Elapsed.TotalSeconds:0.0} s "
            + $"({clients * perClient / watch.Elapsed.TotalSeconds:0} /s); per node: {string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}");

        Assert.Empty(errors.Take(5));
        Assert.Equal(clients * perClient, accepted.Count);
        Assert.All(new[] { bed.NodeAddress(0), bed.NodeAddress(1) }, node => Assert.True(perNode.GetValueOrDefault(node) >= 50, $"node {node} got {perNode.GetValueOrDefault(node)} requests"));
        await using var check = bed.Db();
        var tickets = await check.Tickets.AsNoTracking().Select(t => new { t.Code, t.ServiceId, t.ServiceDay, t.Sequence, t.Number }).ToListAsync();
        Assert.Equal(clients * perClient, tickets.Count);
        Assert.True(accepted.Values.ToHashSet().SetEquals(tickets.Select(t => t.Code)), "every accepted ticket exists, once");
        foreach (var line in tickets.GroupBy(t => new { t.ServiceId, t.ServiceDay }))
        {
            Assert.Equal(Enumerable.Range(1, line.Count()), line.Select(t => t.Sequence).Order()); // from 1, no gap, no repeat
            Assert.Equal(line.Count(), line.Select(t => t.Number).Distinct().Count());
        }
    }

    internal static Dictionary<string, int> Delta(Dictionary<string, int> before, Dictionary<string, int> after) =>
        after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
}
