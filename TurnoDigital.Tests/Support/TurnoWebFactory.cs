using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// The whole app over real HTTP on a real SQLite file, on the test clock: real time that starts at <see cref="CoreHarness.Start"/>
/// (a Wednesday, 10:00 in Bogotá, not a holiday), so no run ever crosses midnight or lands on a weekend; a test can jump it ahead.
/// It runs in the "Testing" environment, where the app refuses the demo switch like in production: the organization the tests
/// share (<see cref="TestOrganization"/>) is written explicitly once the app has migrated, and WhatsApp is configured here.
/// </summary>
public class TurnoWebFactory(TempDatabase? sharedDatabase = null) : WebApplicationFactory<Program>
{
    public const string Password = CoreHarness.Password, KioskCode = "KIOSCO-PRUEBA", DisplayCode = "PANTALLA-PRUEBA",
        ApiKey = "td_test_api_key_2026";
    readonly TempDatabase database = sharedDatabase ?? new();
    /// <summary>The app's <see cref="TimeProvider"/>; tests compute "today" from it, never from DateTime.Now.</summary>
    public ShiftedClock Clock { get; init; } = new(CoreHarness.Start);
    /// <summary>Today in Bogotá on the app's clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);
    /// <summary>
    /// True: the shared <see cref="TestOrganization"/> is written as the app starts. False: the test seeds what it needs through
    /// the builders (see <see cref="BuiltWebFactory"/>).
    /// </summary>
    public bool SharedOrganization { get; init; } = true;
    /// <summary>"Testing" (like production: no demo, no WhatsApp simulator); "Development" only for the simulator's own tests.</summary>
    public string Environment { get; init; } = "Testing";
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }
    /// <summary>Extra configuration for one test class, e.g. a short Display:HighlightSeconds or the WhatsApp section.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>WhatsApp as the tests run it unless a class says otherwise: the simulator with test (not demo) secrets.</summary>
    public static readonly IReadOnlyDictionary<string, string> WhatsAppDefaults = new Dictionary<string, string>
    {
        ["WhatsApp:Mode"] = "Simulator", ["WhatsApp:AppSecret"] = "test-simulator-secret", ["WhatsApp:VerifyToken"] = "test-verify-token",
        ["WhatsApp:AccessToken"] = "", ["WhatsApp:PhoneNumberId"] = "",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        // Never the demo switch (the Development file turns it on): data comes from TestOrganization or the builders.
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Demo:History", "false");
        builder.UseSetting("Logging:File", Path.Combine(database.Folder, "logs", "turno-.log"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Tests share one client IP and log in many times: no practical limit unless a class sets its own.
        foreach (var policy in new[] { "SignIn", "Public", "Api", "Webhook", "KioskTickets", "PublicSubmissions" }) builder.UseSetting($"RateLimits:{policy}:PermitLimit", "1000000");
        foreach (var (key, value) in WhatsAppDefaults) builder.UseSetting(key, value);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            // Runs as the host starts (after Program has migrated the database), before any test request is served.
            if (SharedOrganization) s.AddHostedService(sp => new SeedOnStart(() => TestOrganization.SeedAsync(sp)));
        });
        if (ConfigureTestServices is not null) builder.ConfigureTestServices(ConfigureTestServices);
    }

    sealed class SeedOnStart(Func<Task> seed) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => seed();
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Over HTTPS, as outside Development every cookie is Secure and a cookie jar keeps those for HTTPS only.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && sharedDatabase is null) database.Dispose();
    }
}

/// <summary>
/// The app without the shared organization: the test class's own organization, written through the builders (<see cref="A"/>, <see cref="Seed"/>)
/// once the app has migrated its database. Users sign in with <see cref="TurnoWebFactory.Password"/>.
/// </summary>
public abstract class BuiltWebFactory : TurnoWebFactory, IAsyncLifetime
{
    protected BuiltWebFactory() => SharedOrganization = false;

    protected abstract Task SeedAsync(IServiceProvider services);

    public Task InitializeAsync() => SeedAsync(Services);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}

/// <summary>Posts Blazor SSR forms the way a browser does: antiforgery token, handler name and field names.</summary>
public static partial class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string url, string handler, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(url);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var form = new Dictionary<string, string>(fields) { ["_handler"] = handler, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) };
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password = TurnoWebFactory.Password) =>
        client.SubmitAsync("/account/login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    public static Task<HttpResponseMessage> PairAsync(this HttpClient client, string screen, string code) =>
        client.SubmitAsync($"/pair/{screen}", "pair", new() { ["Input.Code"] = code });

    /// <summary>Page text with entities decoded (Blazor encodes accented letters).</summary>
    public static async Task<string> HtmlAsync(this HttpResponseMessage r) => WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());

    public static async Task<string> GetHtmlAsync(this HttpClient client, string url) => await (await client.GetAsync(url)).HtmlAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>A second branch, "Sede Norte", and the supervisor limited to "Sede Centro": the branch-scope tests' setting.</summary>
public static class TwoBranches
{
    public static async Task<(int Centro, int Norte)> SupervisorOfCentroOnlyAsync(this TurnoWebFactory factory)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDigital.Core.Persistence.TurnoDbContext>>().CreateDbContext();
        var centro = (await db.Branches.SingleAsync(b => b.Name == "Sede Centro")).Id;
        var norte = await db.Branches.FirstOrDefaultAsync(b => b.Name == "Sede Norte");
        if (norte is null)
        {
            norte = new TurnoDigital.Core.Organization.Branch { Name = "Sede Norte", Hours = TurnoDigital.Core.Organization.Branch.AllWeek(0, 24 * 60) };
            db.Branches.Add(norte);
            var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
            supervisor.AllBranches = false;
            db.UserBranches.Add(new TurnoDigital.Core.Organization.UserBranch { UserId = supervisor.Id, BranchId = centro });
            await db.SaveChangesAsync();
        }
        return (centro, norte.Id);
    }
}

public static class UriText
{
    /// <summary>A redirect's path and query, whether the Location header is absolute or relative.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}

/// <summary>
/// The app with WhatsApp on the Cloud API, sending to a <see cref="FakeGraphApi"/> on loopback, with test (not demo) credentials:
/// how the webhook is exercised outside Development.
/// </summary>
public class CloudApiWebFactory : TurnoWebFactory
{
    public FakeGraphApi Graph { get; } = FakeGraphApi.StartAsync().GetAwaiter().GetResult();

    public CloudApiWebFactory(string appSecret = "test-app-secret", string verifyToken = "test-verify-token")
    {
        var settings = Graph.Settings(appSecret).ToDictionary(kv => kv.Key, kv => kv.Value ?? "");
        settings["WhatsApp:VerifyToken"] = verifyToken;
        Settings = settings;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Graph.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
