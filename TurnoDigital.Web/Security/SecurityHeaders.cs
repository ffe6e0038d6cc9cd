using System.Security.Cryptography;

namespace TurnoDigital.Web.Security;

/// <summary>
/// Browser hardening headers on every response (pages, API, static files, error pages).
/// Scripts only from this origin, plus the one inline import map Blazor renders, allowed by a per-request nonce.
/// </summary>
public static class SecurityHeaders
{
    const string NonceKey = "csp-nonce";

    /// <summary>The nonce for this request's inline scripts (App.razor puts it on the import map).</summary>
    public static string? CspNonce(this HttpContext? http) => http?.Items[NonceKey] as string;

    public static string Policy(string nonce) => string.Join("; ",
        "default-src 'self'",
        $"script-src 'self' 'nonce-{nonce}'",
        // MudBlazor sets inline style attributes (popovers, ripples, sizes).
        "style-src 'self' 'unsafe-inline'",
        // QR codes are data: URIs.
        "img-src 'self' data:",
        // The Blazor circuit (WebSocket, with long-polling/SSE fallback over 'self').
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Hex: nothing for the HTML encoder to escape in the nonce attribute.
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        // OnStarting: the exception handler and status-code pages clear headers set earlier.
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.ContentSecurityPolicy = Policy(nonce);
            h.XFrameOptions = "DENY";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
