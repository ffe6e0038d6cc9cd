using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>The webhook over real HTTP: Meta's verification handshake and signed POSTs.</summary>
public class WhatsAppWebhookTests(WhatsAppWebhookTests.Factory factory) : IClassFixture<WhatsAppWebhookTests.Factory>
{
    /// <summary>Outside Development the webhook is Meta's: Cloud API mode against the fake Graph API, with test credentials.</summary>
    public sealed class Factory() : CloudApiWebFactory(appSecret: "web-secret", verifyToken: "mi-token");

    [Theory]
    [InlineData("subscribe", "mi-token", HttpStatusCode.OK)]
    [InlineData("subscribe", "otro", HttpStatusCode.Forbidden)]
    [InlineData("unsubscribe", "mi-token", HttpStatusCode.Forbidden)]
    [InlineData("subscribe", "", HttpStatusCode.Forbidden)]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_right_token(string mode, string token, HttpStatusCode expected)
    {
        var r = await factory.CreateClient().GetAsync($"/webhooks/whatsapp?hub.mode={mode}&hub.verify_token={token}&hub.challenge=1158201444");
        Assert.Equal(expected, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("1158201444", body);
            Assert.Equal("text/plain", r.Content.Headers.ContentType!.MediaType);
        }
        else Assert.DoesNotContain("1158201444", body);
    }

    /// <summary>Stored payloads holding this text (the simulator's own receipts are stored too).</summary>
    async Task<int> InboxCountAsync(string marker)
    {
        await using var db = factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        return await db.WebhookInbox.CountAsync(i => i.Body.Contains(marker));
    }

    [Fact]
    public async Task A_signed_post_is_stored_and_answered_200_in_either_hex_case()
    {
        var id = "wamid.WEB" + Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(MetaPayloads.Text("573001112233", id, "Hola ñ", factory.Clock.GetUtcNow().UtcDateTime));
        var signature = WebhookSignature.Sign(body, "web-secret");
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().SendAsync(SignedWebhook.Request(body, signature))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().SendAsync(SignedWebhook.Request(body, "sha256=" + signature[7..].ToUpperInvariant()))).StatusCode);
        Assert.Equal(2, await InboxCountAsync(id));
    }

    [Fact]
    public async Task Unsigned_or_wrongly_signed_posts_get_401_and_nothing_is_stored()
    {
        var body = Encoding.UTF8.GetBytes(MetaPayloads.Text("573001112233", "wamid.BAD", "Hola", factory.Clock.GetUtcNow().UtcDateTime));
        foreach (var signature in new[] { null, "sha256=" + new string('0', 64), WebhookSignature.Sign(body, "otro-secreto"), "garbage" })
        {
            var r = await factory.CreateClient().SendAsync(SignedWebhook.Request(body, signature));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains("Firma", await r.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, await InboxCountAsync("wamid.BAD"));
    }

    [Fact]
    public async Task A_huge_body_is_refused_with_413()
    {
        var body = new byte[WebhookIngest.MaxBodyBytes + 1];
        var r = await factory.CreateClient().PostWebhookAsync(body, "web-secret");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
    }

    /// <summary>
    /// Another writer holds SQLite's write lock (the worker, the bot, another process): concurrent posts wait for it,
    /// none is answered before its payload is committed, and then all are answered 200 with every payload stored.
    /// </summary>
    [Fact]
    public async Task Posts_wait_for_a_writer_holding_the_database_and_are_answered_only_once_their_payloads_are_committed()
    {
        var ingest = factory.Services.GetRequiredService<WebhookIngest>();
        var marker = "wamid.HELD" + Guid.NewGuid().ToString("N");
        string connectionString;
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            connectionString = db.Database.GetDbConnection().ConnectionString;
        await using var writer = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await writer.OpenAsync();
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var client = factory.CreateClient();
        var posts = Enumerable.Range(0, 20).Select(i => client.PostWebhookAsync(
            MetaPayloads.Text($"5730022{i:00000}", $"{marker}.{i}", "Hola", factory.Clock.GetUtcNow().UtcDateTime), "web-secret")).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ingest.InFlight < posts.Length && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(posts.Length, ingest.InFlight);

        Assert.DoesNotContain(posts, p => p.IsCompleted);
        Assert.Equal(0, await InboxCountAsync(marker));
        // Background writers defer to pending payloads, but only for a while: they are not starved.
        await ingest.YieldAsync();
        Assert.True(ingest.InFlight > 0);

        await using (var commit = writer.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }
        foreach (var r in await Task.WhenAll(posts)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(posts.Length, await InboxCountAsync(marker));
        Assert.Equal(0, ingest.InFlight);
    }
}
