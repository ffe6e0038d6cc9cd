using System.Security.Cryptography;

namespace TurnoDigital.Web.Live;

/// <summary>
/// Behind several nodes a Blazor circuit must stay on the node that holds it. Debian's free nginx has no sticky cookie, so the
/// app sets its own random <see cref="CookieName"/> (everyone gets one: it carries nothing personal, only a value to hash) and
/// nginx routes with <c>hash $cookie_turno_node consistent</c>. With <c>Node:Name</c> set, every response says which node
/// answered in <see cref="HeaderName"/> (an operator's label, nothing else), for logs and tests.
/// </summary>
public static class NodeAffinity
{
    public const string CookieName = "turno_node", HeaderName = "X-Turno-Node";

    public static IApplicationBuilder UseNodeAffinity(this IApplicationBuilder app, IConfiguration configuration)
    {
        var node = configuration["Node:Name"] is { Length: > 0 } name ? name : null;
        return app.Use((http, next) =>
        {
            if (node is not null) http.Response.Headers[HeaderName] = node;
            if (!http.Request.Cookies.ContainsKey(CookieName))
                http.Response.Cookies.Append(CookieName, Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true,
                    MaxAge = TimeSpan.FromDays(365),
                });
            return next(http);
        });
    }
}
