using System.Text;
using TurnoDigital.Core.WhatsApp.Transport;

namespace TurnoDigital.Tests.Support;

/// <summary>POSTs to the WhatsApp webhook the way Meta does: a JSON body signed with the app secret (X-Hub-Signature-256).</summary>
public static class SignedWebhook
{
    public const string Path = "/webhooks/whatsapp";

    /// <summary>The webhook request with <paramref name="signature"/> as its signature header as is (null: none, a forged or malformed one).</summary>
    public static HttpRequestMessage Request(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null) request.Headers.TryAddWithoutValidation(WebhookSignature.Header, signature);
        return request;
    }

    /// <summary>Posts <paramref name="body"/> signed with <paramref name="secret"/>; a null secret posts it unsigned.</summary>
    public static Task<HttpResponseMessage> PostWebhookAsync(this HttpClient client, byte[] body, string? secret) =>
        client.SendAsync(Request(body, secret is null ? null : WebhookSignature.Sign(body, secret)));

    public static Task<HttpResponseMessage> PostWebhookAsync(this HttpClient client, string json, string? secret) =>
        client.PostWebhookAsync(Encoding.UTF8.GetBytes(json), secret);
}
