using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using TurnoDigital.Core.Identity;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Endpoints;

public static class TurnoEndpoints
{
    public static void MapTurnoEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous: readiness checks the database; liveness only that the process answers.
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();

        // Anonymous: the language choice is a cookie, for staff screens and public pages alike.
        app.MapGet("/culture", (HttpContext http, string? c, string? returnUrl) =>
        {
            var culture = c == Ui.English ? Ui.English : Ui.Spanish;
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalOr(returnUrl, "/"));
        }).AllowAnonymous();

        // Staff only (any signed-in user): the form posts with an antiforgery token.
        app.MapPost("/account/logout", async (HttpContext http, SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());

        // Devices only: forget this browser's pairing (e.g. a board moved to another room).
        app.MapPost("/devices/unpair", async (HttpContext http) =>
        {
            await http.SignOutAsync(DeviceAuth.Scheme);
            return Results.LocalRedirect("/");
        }).RequireAuthorization(p => p.AddAuthenticationSchemes(DeviceAuth.Scheme).RequireClaim(DeviceAuth.KindClaim));

        app.MapApiV1();
        app.MapBookingEndpoints();
        app.MapPrivacyEndpoints();
        app.MapReportEndpoints();
        app.MapAdminEndpoints();
    }

    /// <summary>
    /// A local URL safe for the Location header, else the fallback: Kestrel answers 500 to a non-ASCII header,
    /// so other characters are percent-encoded (as UTF-8, like a browser).
    /// </summary>
    public static string LocalOr(string? url, string fallback)
    {
        if (!IsLocal(url)) return fallback;
        if (url.All(c => c < 0x7f)) return url;
        var sb = new System.Text.StringBuilder(url.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value < 0x7f) { sb.Append((char)rune.Value); continue; }
            var n = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..n]) sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    /// <summary>The same rule as LocalRedirect's check (which throws on a control character such as a tab), so a redirect never fails.</summary>
    public static bool IsLocal([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl);
}
