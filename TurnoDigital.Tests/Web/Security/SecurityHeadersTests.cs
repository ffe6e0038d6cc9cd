using System.Net;
using System.Text.RegularExpressions;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Security;

/// <summary>Hardening headers on pages, the API, static files, redirects and error pages.</summary>
public class SecurityHeadersTests(SecurityHeadersTests.Factory factory) : IClassFixture<SecurityHeadersTests.Factory>
{
    /// <summary>Headers do not depend on data: an empty organization.</summary>
    public sealed class Factory : BuiltWebFactory
    {
        protected override Task SeedAsync(IServiceProvider services) => Task.CompletedTask;
    }

    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/pair/kiosk", HttpStatusCode.OK)]
    [InlineData("/book", HttpStatusCode.OK)]
    [InlineData("/t/no-existe", HttpStatusCode.NotFound)]
    [InlineData("/desk", HttpStatusCode.Redirect)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/branches", HttpStatusCode.Unauthorized)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/app.css", HttpStatusCode.OK)]
    [InlineData("/js/kiosk.js", HttpStatusCode.OK)]
    [InlineData("/_framework/blazor.web.js", HttpStatusCode.OK)]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", HttpStatusCode.OK)]
    public async Task Every_kind_of_response_carries_the_headers(string path, HttpStatusCode status)
    {
        var r = await factory.Browser().GetAsync(path);
        Assert.Equal(status, r.StatusCode);
        var csp = Assert.Single(r.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Matches(@"script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'(;|$)", csp);
        Assert.Contains("connect-src 'self' ws: wss:", csp);
        Assert.Contains("img-src 'self' data:", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("DENY", Assert.Single(r.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(r.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_only_inline_script_is_the_import_map_with_this_requests_nonce()
    {
        var client = factory.Browser();
        var first = await client.GetAsync("/account/login");
        var second = await client.GetAsync("/account/login");
        string Nonce(HttpResponseMessage r) => Regex.Match(r.Headers.GetValues("Content-Security-Policy").Single(), "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEqual(Nonce(first), Nonce(second));

        var html = await first.Content.ReadAsStringAsync();
        var inline = Regex.Matches(html, "<script(?![^>]*\\ssrc=)[^>]*>").Select(m => m.Value).ToList();
        var importMap = Assert.Single(inline);
        Assert.Contains("type=\"importmap\"", importMap);
        Assert.Contains($"nonce=\"{Nonce(first)}\"", importMap);
        // Inline event handlers would be blocked by the policy.
        Assert.DoesNotMatch("\\son(click|load|error|change)=\"", html);
    }
}
