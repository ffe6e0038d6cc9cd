using Microsoft.Extensions.Options;
using TurnoDigital.Core.Supervision.Alerts;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Endpoints;

public static class WhatsAppEndpoints
{
    public const string Webhook = "/webhooks/whatsapp";

    public static void MapWhatsAppEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous by design: Meta calls it. The GET proves we know the verify token; the POST is authenticated by its HMAC signature.
        app.MapGet(Webhook, (HttpContext http, IOptionsMonitor<WhatsAppOptions> options) =>
        {
            var q = http.Request.Query;
            var token = options.CurrentValue.VerifyToken;
            var ok = q["hub.mode"] == "subscribe" && !string.IsNullOrEmpty(token)
                && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(q["hub.verify_token"].ToString()), System.Text.Encoding.UTF8.GetBytes(token));
            var challenge = q["hub.challenge"].ToString();
            return ok && challenge.Length is > 0 and <= 200
                ? Results.Text(challenge, "text/plain")
                : Results.Text("Verificación rechazada.", "text/plain", statusCode: StatusCodes.Status403Forbidden);
        }).AllowAnonymous().RequireRateLimiting(RateLimits.Webhook);

        app.MapPost(Webhook, async (HttpContext http, WebhookIngest ingest, RateLimits.WebhookBuckets buckets, HealthTallies tallies, CancellationToken ct) =>
        {
            var length = http.Request.ContentLength;
            if (length > WebhookIngest.MaxBodyBytes) return Results.Text("Cuerpo demasiado grande.", statusCode: StatusCodes.Status413PayloadTooLarge);
            using var buffer = new MemoryStream();
            var read = new byte[16 * 1024];
            int n;
            while ((n = await http.Request.Body.ReadAsync(read, ct)) > 0)
            {
                if (buffer.Length + n > WebhookIngest.MaxBodyBytes) return Results.Text("Cuerpo demasiado grande.", statusCode: StatusCodes.Status413PayloadTooLarge);
                buffer.Write(read, 0, n);
            }
            var body = buffer.ToArray();
            // Counted after the check, each in its own bucket: forged posts cannot use up Meta's.
            var signed = ingest.IsSigned(body, http.Request.Headers[WebhookSignature.Header]);
            if (buckets.Take(http, signed) is { } tooMany) return tooMany;
            if (!signed)
            {
                // Counted within the unsigned bucket, so a flood costs at most its limit in writes; a spike raises an alert.
                await tallies.AddAsync(TallyKind.ForgedWebhook, ct);
                return Results.Text("Firma ausente o no válida.", statusCode: StatusCodes.Status401Unauthorized);
            }
            await ingest.StoreAsync(body, ct);
            return Results.Ok();
        }).AllowAnonymous().DisableAntiforgery();
    }
}
