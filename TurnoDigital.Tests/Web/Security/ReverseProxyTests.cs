using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Identity;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Security;

/// <summary>
/// Test-only: the connection's remote address comes from the X-Test-Remote-Ip header (TestServer has none), set before
/// the app's pipeline, so the forwarded-headers middleware sees a proxy or a stranger as a real server would.
/// </summary>
public sealed class RemoteAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Remote-Ip";
    /// <summary>The Host header of the last request, as the app received it.</summary>
    public string? LastHost { get; private set; }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, inner) =>
        {
            if (IPAddress.TryParse(http.Request.Headers[Header], out var ip)) http.Connection.RemoteIpAddress = ip;
            LastHost = http.Request.Host.Value;
            return inner(http);
        });
        next(app);
    };
}

/// <summary>Forwarded headers believed only from known proxies; HTTPS redirection, HSTS and Secure cookies outside Development.</summary>
public class ReverseProxyTests(ReverseProxyTests.Factory factory) : IClassFixture<ReverseProxyTests.Factory>
{
    public const int Limit = 2;

    public sealed class Factory : BuiltWebFactory
    {
        public RemoteAddressFromHeader Remote { get; } = new();

        public Factory()
        {
            Settings = new Dictionary<string, string>
            {
                ["RateLimits:Public:PermitLimit"] = $"{Limit}",
                ["ReverseProxy:KnownProxies"] = "10.0.0.5, 10.0.0.6",
                ["ReverseProxy:KnownNetworks:0"] = "172.20.0.0/16",
                // The port HTTPS redirection sends plain-HTTP visitors to (a real server knows it from its bindings).
                ["https_port"] = "443",
            };
            ConfigureTestServices = s => s.AddSingleton<IStartupFilter>(Remote);
        }

        protected override async Task SeedAsync(IServiceProvider services)
        {
            var branch = await services.SaveAsync(A.Branch().With(A.Service("Caja").WalkIn()).WithCounter("Ventanilla 1"));
            await services.UserAsync("agente1@demo.turno", Roles.Agent);
            await services.DeviceAsync(branch.Id, TurnoDigital.Core.Devices.DeviceKind.Kiosk, TurnoWebFactory.KioskCode);
        }
    }

    HttpClient Https() => factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

    static HttpRequestMessage From(string remote, string path, string? forwardedFor = null, string? forwardedProto = null)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, path);
        r.Headers.Add(RemoteAddressFromHeader.Header, remote);
        if (forwardedFor is not null) r.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) r.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return r;
    }

    async Task<HttpStatusCode> StatusAsync(HttpRequestMessage r) => (await Https().SendAsync(r)).StatusCode;

    [Fact]
    public async Task Behind_a_known_proxy_the_rate_limit_counts_the_forwarded_client()
    {
        for (var i = 0; i < Limit; i++) Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(From("10.0.0.5", "/t/nada", "203.0.113.10")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(From("10.0.0.5", "/t/nada", "203.0.113.10")));
        // Another client through the same proxy has its own allowance; the same client through a proxy of the known network does not.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(From("10.0.0.5", "/t/nada", "203.0.113.11")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(From("172.20.3.4", "/t/nada", "203.0.113.10")));
    }

    [Fact]
    public async Task A_forwarded_header_from_an_unknown_address_is_ignored()
    {
        for (var i = 0; i < Limit; i++) Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(From("198.51.100.7", "/t/nada", $"203.0.113.{20 + i}")));
        // Claiming to be yet another client does not buy a new allowance: the stranger's own address is what counts.
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(From("198.51.100.7", "/t/nada", "203.0.113.99")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(From("198.51.100.8", "/t/nada", "203.0.113.20")));
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_unless_a_known_proxy_says_the_visitor_used_https()
    {
        var http = factory.CreateClient(new() { AllowAutoRedirect = false });
        var plain = await http.SendAsync(From("198.51.100.30", "/account/login"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://localhost/account/login", plain.Headers.Location?.ToString());
        // A stranger's X-Forwarded-Proto is not believed either.
        Assert.Equal(HttpStatusCode.TemporaryRedirect, (await http.SendAsync(From("198.51.100.30", "/account/login", "203.0.113.30", "https"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(From("10.0.0.6", "/account/login", "203.0.113.30", "https"))).StatusCode);
    }

    [Fact]
    public async Task Https_answers_carry_hsts_and_every_cookie_is_secure()
    {
        var browser = factory.Browser();
        var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Host = "turnos.example.co"; // HSTS is never sent to localhost
        var login = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.StartsWith("max-age=31536000", login.Headers.GetValues("Strict-Transport-Security").Single());

        var cookies = new List<string>();
        void Collect(HttpResponseMessage r) => cookies.AddRange(r.Headers.TryGetValues("Set-Cookie", out var v) ? v : []);
        Collect(login); // antiforgery
        Collect(await browser.LoginAsync("agente1@demo.turno")); // staff sign-in
        Collect(await browser.GetAsync("/culture?c=en&returnUrl=%2F")); // language
        var kiosk = factory.Browser();
        await kiosk.GetAsync("/pair/kiosk");
        Collect(await kiosk.PairAsync("kiosk", TurnoWebFactory.KioskCode)); // device
        foreach (var name in new[] { ".AspNetCore.Antiforgery", ".TurnoDigital.Staff", ".AspNetCore.Culture", ".TurnoDigital.Device" })
            Assert.Contains(cookies, c => c.StartsWith(name));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>With TLS ending at a proxy that sends no X-Forwarded-Proto, redirection can be switched off (cookies stay Secure).</summary>
public class HttpsRedirectionSwitchTests(HttpsRedirectionSwitchTests.Factory factory) : IClassFixture<HttpsRedirectionSwitchTests.Factory>
{
    public sealed class Factory : BuiltWebFactory
    {
        public Factory() => Settings = new Dictionary<string, string> { ["ReverseProxy:HttpsRedirection"] = "false", ["https_port"] = "443" };
        protected override Task SeedAsync(IServiceProvider services) => Task.CompletedTask;
    }

    [Fact]
    public async Task Plain_http_is_served_and_its_cookies_are_still_secure()
    {
        var r = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
