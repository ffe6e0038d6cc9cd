using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Security;

/// <summary>Tiny limits (3 per minute) on this class's own server: the 4th request is refused with 429, Retry-After and a Spanish message.</summary>
public class RateLimitTests(RateLimitTests.Factory factory) : IClassFixture<RateLimitTests.Factory>
{
    public const int Limit = 3;

    /// <summary>Two agents, a kiosk with a pairing code and an API key: what the limited requests need.</summary>
    public sealed class Factory : BuiltWebFactory
    {
        public Factory() => Settings = new Dictionary<string, string>
        {
            ["RateLimits:SignIn:PermitLimit"] = $"{Limit}",
            ["RateLimits:Public:PermitLimit"] = $"{Limit}",
            ["RateLimits:Api:PermitLimit"] = $"{Limit}",
        };

        protected override async Task SeedAsync(IServiceProvider services)
        {
            var branch = await services.SaveAsync(A.Branch().With(A.Service("Caja").WalkIn().Remote()).WithCounter("Ventanilla 1"));
            await services.UserAsync("agente1@demo.turno", Roles.Agent);
            await services.UserAsync("agente2@demo.turno", Roles.Agent);
            await services.DeviceAsync(branch.Id, DeviceKind.Kiosk, TurnoWebFactory.KioskCode);
            await services.ApiKeyAsync(TurnoWebFactory.ApiKey);
        }
    }

    // Each test uses a different policy: all test requests share one client IP.

    static void AssertRetryAfter(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        var seconds = r.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.NotNull(seconds);
        Assert.InRange(seconds!.Value, 1, 60);
    }

    [Fact]
    public async Task Login_and_pairing_posts_share_a_per_ip_limit_but_the_forms_still_open()
    {
        var client = factory.Browser();
        for (var i = 0; i < Limit; i++)
        {
            var r = await client.LoginAsync("agente2@demo.turno", "wrong-" + i);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("Correo o contraseña incorrectos", await r.HtmlAsync());
        }
        var refused = await client.LoginAsync("agente1@demo.turno");
        AssertRetryAfter(refused);
        Assert.StartsWith("text/html", refused.Content.Headers.ContentType!.ToString());
        var html = await refused.HtmlAsync();
        Assert.Contains("Demasiadas solicitudes", html);
        Assert.Contains("lang=\"es\"", html);
        // Guessing pairing codes counts in the same bucket; showing the forms does not.
        AssertRetryAfter(await factory.Browser().PairAsync("kiosk", TurnoWebFactory.KioskCode));
        Assert.Equal(HttpStatusCode.OK, (await factory.Browser().GetAsync("/account/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Browser().GetAsync("/pair/display")).StatusCode);
    }

    [Fact]
    public async Task Public_code_pages_and_the_calendar_file_share_a_per_ip_limit()
    {
        var client = factory.Browser();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/t/no-existe")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/book")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/cita/NOEXISTE/ics")).StatusCode);
        foreach (var path in new[] { "/cita/NOEXISTE", "/cita/NOEXISTE/ics", "/cita/NOEXISTE/live", "/t/no-existe", "/book", "/fila/1" })
        {
            var r = await client.GetAsync(path);
            AssertRetryAfter(r);
            Assert.Contains("Demasiadas solicitudes", await r.HtmlAsync());
        }
        // Staff pages are not in this bucket.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/desk")).StatusCode);
    }

    [Fact]
    public async Task The_api_limits_each_key_separately_and_anonymous_calls_by_ip()
    {
        HttpClient Api(string? key)
        {
            var c = factory.CreateClient(new() { AllowAutoRedirect = false });
            if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
            return c;
        }
        var first = Api(TurnoWebFactory.ApiKey);
        for (var i = 0; i < Limit; i++) Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/branches")).StatusCode);
        var refused = await first.GetAsync("/api/v1/branches");
        AssertRetryAfter(refused);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Contains("Demasiadas solicitudes", problem["detail"]!.GetValue<string>());

        // Another integrator is not slowed down by the first one.
        var (_, otherKey) = await factory.Services.GetRequiredService<ApiKeyService>().CreateAsync("Otro integrador", [ApiScopes.Appointments]);
        Assert.Equal(HttpStatusCode.OK, (await Api(otherKey).GetAsync("/api/v1/branches")).StatusCode);

        var anonymous = Api(null);
        for (var i = 0; i < Limit; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/branches")).StatusCode);
        AssertRetryAfter(await anonymous.GetAsync("/api/v1/branches"));
        // The contract stays readable.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }
}
