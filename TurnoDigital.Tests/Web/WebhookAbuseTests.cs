using System.Net;
using System.Text;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>Forged webhook posts are counted in their own small bucket, after the signature check: Meta's deliveries keep theirs.</summary>
public class WebhookAbuseTests(WebhookAbuseTests.Factory factory) : IClassFixture<WebhookAbuseTests.Factory>
{
    const string Secret = "abuse-secret";

    public sealed class Factory : CloudApiWebFactory
    {
        public Factory() : base(Secret) => Settings = new Dictionary<string, string>(Settings)
        {
            ["RateLimits:WebhookUnsigned:PermitLimit"] = "5", ["RateLimits:WebhookUnsigned:WindowSeconds"] = "3600",
            ["RateLimits:Webhook:PermitLimit"] = "4", ["RateLimits:Webhook:WindowSeconds"] = "3600",
        };
    }

    async Task<HttpStatusCode> PostAsync(int n, bool sign)
    {
        var body = Encoding.UTF8.GetBytes(MetaPayloads.Text("573001119900", $"wamid.ABUSE{n}{sign}", "Hola", factory.Clock.GetUtcNow().UtcDateTime, FakeGraphApi.PhoneNumberId));
        return (await factory.CreateClient().PostWebhookAsync(body, sign ? Secret : "forged")).StatusCode;
    }

    [Fact]
    public async Task Forged_posts_exhaust_only_their_own_bucket_and_signed_posts_keep_theirs()
    {
        var forged = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) forged.Add(await PostAsync(i, sign: false));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 7)), forged);

        // Meta's deliveries still get through, up to their own (here small) limit, which forged traffic never touched.
        var signed = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) signed.Add(await PostAsync(i, sign: true));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 4).Append(HttpStatusCode.TooManyRequests), signed);
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(99, sign: false));
    }
}
