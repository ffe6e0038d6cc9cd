using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace TurnoDigital.Web.Security;

/// <summary>
/// Running behind a reverse proxy (configuration section "ReverseProxy"): X-Forwarded-For/-Proto are believed only from
/// loopback and the configured <c>KnownProxies</c>/<c>KnownNetworks</c> (comma-separated or arrays), so rate limits, circuit
/// limits and logs see the real client and a spoofed header from anywhere else is ignored. Outside Development: HSTS,
/// HTTPS redirection (<c>HttpsRedirection=false</c> when TLS ends at the proxy and it sends no X-Forwarded-Proto) and
/// every cookie marked Secure. The Host header never builds a link (see PublicLinks); AllowedHosts filters it.
/// </summary>
public static class ProxyAndTransport
{
    public const string Section = "ReverseProxy";

    public static IServiceCollection AddTurnoProxyAndTransport(this IServiceCollection services)
    {
        // Read from the app's final configuration when the pipeline is built; a bad address stops the start with its key.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, config) =>
        {
            var section = config.GetSection(Section);
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults (loopback) stay: a proxy on the same machine needs no setting.
            foreach (var proxy in List(section.GetSection("KnownProxies")))
                o.KnownProxies.Add(Parse<IPAddress>(proxy, IPAddress.TryParse, "KnownProxies"));
            foreach (var network in List(section.GetSection("KnownNetworks")))
                o.KnownIPNetworks.Add(Parse<System.Net.IPNetwork>(network, System.Net.IPNetwork.TryParse, "KnownNetworks"));
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's address and scheme.</summary>
    public static WebApplication UseTurnoProxyAndTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Environment.IsDevelopment()) return app;
        app.UseHsts();
        if (app.Configuration.GetValue($"{Section}:HttpsRedirection", true)) app.UseHttpsRedirection();
        // Auth, device, antiforgery and culture cookies alike: none of them travels over plain HTTP.
        app.UseCookiePolicy(new CookiePolicyOptions
        {
            OnAppendCookie = c => c.CookieOptions.Secure = true,
            OnDeleteCookie = c => c.CookieOptions.Secure = true,
        });
        return app;
    }

    /// <summary>"a, b" or an array (KnownProxies:0, KnownProxies:1), or both; blanks dropped (a section may hold "" beside its children).</summary>
    static IEnumerable<string> List(IConfigurationSection section) =>
        new[] { section.Value ?? "" }.Concat(section.GetChildren().Select(c => c.Value ?? ""))
        .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    delegate bool TryParse<T>(string? text, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value);

    static T Parse<T>(string text, TryParse<T> parse, string key) => parse(text, out var value) ? value
        : throw new InvalidOperationException($"{Section}:{key} holds \"{text}\", which is not an IP address{(key == "KnownNetworks" ? " range (CIDR, e.g. 10.0.0.0/8)" : "")}.");
}
