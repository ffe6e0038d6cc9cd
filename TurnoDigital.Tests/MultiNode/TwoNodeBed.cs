using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Npgsql;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Live;

namespace TurnoDigital.Tests.MultiNode;

[CollectionDefinition(Name)]
public sealed class TwoNodeCollection : ICollectionFixture<TwoNodeBed>
{
    public const string Name = "Two nodes";
}

/// <summary>
/// The multi-node test bed: one PostgreSQL cluster, one Redis, two nodes of the built app (real processes in Production on one
/// database, sharing Data Protection keys through it) and nginx in front of them with the configuration docs/DEPLOY.md shows.
/// One bed per collection; <see cref="ResetAsync"/> brings back a killed node or a stopped Redis and empties the data tables,
/// keeping the seeded organization, keys and Quartz's tables. It has its own Chromium (not the Browser collection's).
/// </summary>
public sealed class TwoNodeBed : IAsyncLifetime
{
    public const string ApiKey = TurnoWebFactory.ApiKey;
    public PostgresCluster Postgres { get; } = new();
    public RedisServer Redis { get; } = new();
    public NginxServer Nginx { get; private set; } = default!;
    /// <summary>The shared organization's data, read and written straight in the database (its clock is not the nodes').</summary>
    public CoreHarness Data { get; private set; } = default!;
    readonly Node[] nodes = [new("a"), new("b")];
    readonly Dictionary<string, string> affinity = [];
    string connectionString = "";
    string[] dataTables = [];
    IPlaywright? playwright;
    IBrowser? browser;

    sealed class Node(string name)
    {
        public readonly string Name = name;
        public readonly TempDatabase Folder = new();
        public readonly int Port = PostgresCluster.FreePort();
        public ProcessApp? App;
        public string Address => $"127.0.0.1:{Port}";
    }

    public string NodeName(int index) => nodes[index].Name;
    public string NodeAddress(int index) => nodes[index].Address;
    public string Output(int index) => nodes[index].App?.Output ?? "";

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync(), Redis.InitializeAsync());
        connectionString = await Postgres.NewDatabaseAsync();
        Data = await CoreHarness.CreateAsync(PostgresCluster.Settings(connectionString));
        await TestOrganization.SeedAsync(Data.Services); // with the API key
        await StartNodeAsync(0);
        // The first node writes the Data Protection key before the second starts, so both sign with the same key.
        using (var http = new HttpClient { BaseAddress = new Uri($"http://{nodes[0].Address}") })
            (await http.GetAsync("/account/login")).EnsureSuccessStatusCode();
        await StartNodeAsync(1);
        Nginx = await NginxServer.StartAsync(nodes[0].Address, nodes[1].Address);
        dataTables = await EmptyTablesAsync();
    }

    async Task StartNodeAsync(int index)
    {
        var node = nodes[index];
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://{node.Address}",
            ["Database__Provider"] = "PostgreSql", ["Database__ConnectionString"] = connectionString,
            ["Redis__Configuration"] = Redis.Configuration,
            ["Node__Name"] = node.Name,
            ["ReverseProxy__HttpsRedirection"] = "false", // nginx speaks plain HTTP on loopback here
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        foreach (var policy in new[] { "SignIn", "Public", "Api", "Webhook", "KioskTickets", "PublicSubmissions" })
            settings[$"RateLimits__{policy}__PermitLimit"] = "1000000";
        node.App = ProcessApp.Start(node.Folder, ProcessApp.Production(node.Folder, settings));
        (await node.App.WaitUntilHealthyAsync()).Dispose();
    }

    /// <summary>Kills the node as a crash would (SIGKILL).</summary>
    public async Task KillAsync(int index)
    {
        if (nodes[index].App is { } app) await app.DisposeAsync();
        nodes[index].App = null;
    }

    /// <summary>Both nodes up, Redis up, and no tickets, appointments, journeys or messages: each test starts on an empty day.</summary>
    public async Task ResetAsync()
    {
        for (var i = 0; i < nodes.Length; i++)
            if (nodes[i].App is null) await StartNodeAsync(i);
        if (!Redis.Running) await Redis.StartAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var truncate = new NpgsqlCommand($"TRUNCATE {string.Join(", ", dataTables.Select(t => $"\"{t}\""))}", connection);
        // The nodes' background jobs keep writing: TRUNCATE takes its locks table by table, so it can deadlock
        // with a job's transaction. PostgreSQL aborts one of the two; try again.
        for (var attempt = 1; ; attempt++)
        {
            try { await truncate.ExecuteNonQueryAsync(); return; }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 10)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    /// <summary>The tables the seed and the nodes' start left empty: what tests fill (Quartz's own tables are kept).</summary>
    async Task<string[]> EmptyTablesAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var empty = new List<string>();
        foreach (var table in tables.Where(t => !t.StartsWith("qrtz_", StringComparison.OrdinalIgnoreCase) && !t.StartsWith("__")))
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM \"{table}\")", connection);
            if (!(bool)(await any.ExecuteScalarAsync())!) empty.Add(table);
        }
        return [.. empty];
    }

    /// <summary>An affinity cookie value nginx sends to the node (found by asking through nginx which node answers).</summary>
    public async Task<string> AffinityForAsync(int index)
    {
        var name = nodes[index].Name;
        if (affinity.TryGetValue(name, out var known)) return known;
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(Nginx.BaseUrl) };
        for (var i = 0; i < 200; i++)
        {
            var value = $"pin{i}";
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            request.Headers.Add("Cookie", $"{NodeAffinity.CookieName}={value}");
            using var response = await http.SendAsync(request);
            var answered = response.Headers.GetValues(NodeAffinity.HeaderName).Single();
            affinity.TryAdd(answered, value);
            if (answered == name) return value;
        }
        throw new InvalidOperationException($"No affinity value reached node {name}");
    }

    /// <summary>An API client through nginx, routed by <paramref name="affinityValue"/>, with the test API key.</summary>
    public HttpClient ApiClient(string affinityValue)
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(Nginx.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        http.DefaultRequestHeaders.Add("Cookie", $"{NodeAffinity.CookieName}={affinityValue}");
        return http;
    }

    /// <summary>A browser context on nginx, pinned to one node through the affinity cookie.</summary>
    public async Task<IBrowserContext> BrowserPinnedToAsync(int index)
    {
        if (browser is null)
        {
            playwright = await Playwright.CreateAsync();
            browser = await Chromium.LaunchAsync(playwright);
            Assertions.SetDefaultExpectTimeout(Chromium.Patience);
        }
        var context = await browser.NewContextAsync(new() { BaseURL = Nginx.BaseUrl, ViewportSize = new() { Width = 1440, Height = 900 } });
        // Two app processes, PostgreSQL and nginx share the machine with the rest of the suite: a sign-in through nginx once
        // took over 30 s on a loaded 2-core machine. Actions and navigations wait longer here; each still waits on its condition.
        context.SetDefaultTimeout(3 * Chromium.Patience);
        context.SetDefaultNavigationTimeout(3 * Chromium.Patience);
        await context.AddCookiesAsync([new Cookie { Name = NodeAffinity.CookieName, Value = await AffinityForAsync(index), Url = Nginx.BaseUrl }]);
        return context;
    }

    public TurnoDbContext Db() => Data.Db();

    /// <summary>Waits (60 s at most) until the node's /health answers <paramref name="status"/> ("Healthy", "Degraded").</summary>
    public async Task WaitForHealthAsync(int index, string status)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{nodes[index].Address}") };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var last = "";
        while ((last = await (await http.GetAsync("/health")).Content.ReadAsStringAsync()) != status)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"node {nodes[index].Name}'s /health says {last}, not {status}");
            await Task.Delay(100);
        }
    }

    /// <summary>Closes the browser contexts a test opened (the browser stays for the next test).</summary>
    public async Task CloseBrowserContextsAsync()
    {
        foreach (var context in browser?.Contexts.ToList() ?? []) await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        if (Nginx is not null) await Nginx.DisposeAsync();
        foreach (var node in nodes)
        {
            if (node.App is not null) await node.App.DisposeAsync();
            node.Folder.Dispose();
        }
        if (Data is not null) await Data.DisposeAsync();
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
