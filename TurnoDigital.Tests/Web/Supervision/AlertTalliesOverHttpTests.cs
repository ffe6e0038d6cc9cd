using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Supervision.Alerts;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Supervision;

/// <summary>Forged webhook posts and API errors reach the database tallies the alert job counts, over real HTTP.</summary>
public class AlertTalliesOverHttpTests(AlertTalliesOverHttpTests.Factory factory) : IClassFixture<AlertTalliesOverHttpTests.Factory>
{
    /// <summary>The Cloud API mode: outside Development the simulator's gate hides the webhook.</summary>
    public sealed class Factory() : CloudApiWebFactory();

    async Task<int> TallyAsync(TallyKind kind)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        return await db.HealthTallies.Where(t => t.Kind == kind).SumAsync(t => (int?)t.Count) ?? 0;
    }

    [Fact]
    public async Task An_unsigned_webhook_post_is_refused_and_counted()
    {
        var client = factory.CreateClient();
        var before = await TallyAsync(TallyKind.ForgedWebhook);
        var content = new StringContent("""{"object":"whatsapp_business_account","entry":[]}""", Encoding.UTF8, "application/json");
        content.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        var response = await client.PostAsync("/webhooks/whatsapp", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before + 1, await TallyAsync(TallyKind.ForgedWebhook));
    }

    [Fact]
    public async Task API_errors_are_counted_and_successful_calls_are_not()
    {
        var client = factory.CreateClient();
        var before = await TallyAsync(TallyKind.ApiError);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/branches")).StatusCode);
        Assert.Equal(before + 1, await TallyAsync(TallyKind.ApiError));

        client.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/branches")).StatusCode);
        Assert.Equal(before + 1, await TallyAsync(TallyKind.ApiError));
    }
}
