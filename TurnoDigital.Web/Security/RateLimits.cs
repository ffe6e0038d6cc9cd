using System.Globalization;
using Microsoft.Extensions.Localization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Resources;

namespace TurnoDigital.Web.Security;

/// <summary>
/// Per-client request limits on what is reachable over plain HTTP (configuration section "RateLimits").
/// Kiosk tickets and in-page booking go through the Blazor circuit and are not HTTP requests.
/// </summary>
public static class RateLimits
{
    static IStringLocalizer L => Texts.Of<SharedText>();

    /// <summary>Login and device pairing POSTs, per IP: slows password and pairing-code guessing.</summary>
    public const string SignIn = "sign-in";
    /// <summary>Public pages whose URL holds a secret code (/t, /cita, the .ics) and /book, per IP: slows code enumeration.</summary>
    public const string Public = "public";
    /// <summary>REST API, per API key (else per IP).</summary>
    public const string Api = "api";
    /// <summary>
    /// WhatsApp webhook verification GETs, in the bucket of unsigned requests. POSTs are counted after their signature check
    /// (<see cref="WebhookBuckets"/>): signed ones in one large bucket (Meta's bursts are large but bounded), the rest in a small one,
    /// so forged traffic cannot use up Meta's deliveries.
    /// </summary>
    public const string Webhook = "webhook";

    public sealed class Window
    {
        public int PermitLimit { get; set; }
        public int WindowSeconds { get; set; } = 60;
    }

    public sealed class Settings
    {
        public Window SignIn { get; set; } = new() { PermitLimit = 10 };
        public Window Public { get; set; } = new() { PermitLimit = 60 };
        public Window Api { get; set; } = new() { PermitLimit = 120 };
        public Window Webhook { get; set; } = new() { PermitLimit = 6000 };
        /// <summary>Webhook requests without a valid signature (and verification GETs).</summary>
        public Window WebhookUnsigned { get; set; } = new() { PermitLimit = 60 };
        /// <summary>Tickets one kiosk may issue (see <see cref="CircuitLimits"/>).</summary>
        public Window KioskTickets { get; set; } = new() { PermitLimit = 30 };
        /// <summary>Bookings and remote tickets submitted from one client IP on /book and /fila.</summary>
        public Window PublicSubmissions { get; set; } = new() { PermitLimit = 10 };
    }

    public static IServiceCollection AddTurnoRateLimits(this IServiceCollection services)
    {
        services.AddOptions<Settings>().BindConfiguration("RateLimits");
        services.AddSingleton<WebhookBuckets>();
        static Settings Of(HttpContext http) => http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Settings>>().Value;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            // GET shows the form; only submitting it counts.
            o.AddPolicy(SignIn, http => HttpMethods.IsPost(http.Request.Method)
                ? Fixed("ip:" + ClientIp(http), Of(http).SignIn)
                : RateLimitPartition.GetNoLimiter("get"));
            o.AddPolicy(Public, http => Fixed("ip:" + ClientIp(http), Of(http).Public));
            o.AddPolicy(Api, http => Fixed(ApiPartition(http), Of(http).Api));
            o.AddPolicy(Webhook, http => Fixed("webhook-unsigned", Of(http).WebhookUnsigned));
        });
        return services;
    }

    static RateLimitPartition<string> Fixed(string key, Window w) => RateLimitPartition.GetFixedWindowLimiter(key, _ => FixedOptions(w));

    static FixedWindowRateLimiterOptions FixedOptions(Window w) => new()
    {
        PermitLimit = Math.Max(1, w.PermitLimit),
        Window = TimeSpan.FromSeconds(Math.Max(1, w.WindowSeconds)),
        QueueLimit = 0,
    };

    /// <summary>The webhook POST's two buckets, taken after the signature is checked: signed (Meta) and everything else.</summary>
    public sealed class WebhookBuckets(Microsoft.Extensions.Options.IOptions<Settings> settings) : IDisposable
    {
        readonly FixedWindowRateLimiter signed = new(FixedOptions(settings.Value.Webhook)), unsigned = new(FixedOptions(settings.Value.WebhookUnsigned));

        /// <summary>Null when the request may go on; else the 429 to answer.</summary>
        public IResult? Take(HttpContext http, bool isSigned)
        {
            using var lease = (isSigned ? signed : unsigned).AttemptAcquire();
            if (lease.IsAcquired) return null;
            var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Results.Text(L["RateLimits.TooManyRequestsWaitSeconds", seconds], "text/plain", statusCode: StatusCodes.Status429TooManyRequests);
        }

        public void Dispose()
        {
            signed.Dispose();
            unsigned.Dispose();
        }
    }

    // Behind a reverse proxy this is the proxy unless ForwardedHeaders is configured for it.
    static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A hash of the key (never the key itself in memory as a partition name); no key → the IP.</summary>
    static string ApiPartition(HttpContext http)
    {
        var key = http.Request.Headers[ApiKeyAuth.HeaderName].ToString();
        return string.IsNullOrWhiteSpace(key)
            ? "ip:" + ClientIp(http)
            : "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim())));
    }

    static async ValueTask RejectAsync(OnRejectedContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
        seconds = Math.Max(1, seconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = L["RateLimits.TooManyRequestsWaitSeconds", seconds];
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(message, statusCode: StatusCodes.Status429TooManyRequests, title: L["RateLimits.TooManyRequests"])
                .ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        var lang = Ui.IsEnglish ? "en" : "es";
        var title = L["RateLimits.TooManyAttempts"];
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title} · Turno Digital</title></head>" +
            $"<body><main><h1>{title}</h1><p>{System.Net.WebUtility.HtmlEncode(message)}</p></main></body></html>", ct);
    }
}
