using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Configuration;

/// <summary>The WhatsApp simulator lives in Development only: elsewhere its page and the webhook answer 404 and nothing is "sent".</summary>
public class WhatsAppEnvironmentTests
{
    const string Challenge = "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=42";

    [Fact]
    public async Task Outside_Development_in_Simulator_mode_the_webhook_and_the_simulator_answer_404_and_nothing_is_sent()
    {
        await using var factory = new TurnoWebFactory();
        var client = factory.Browser();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Challenge)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostWebhookAsync("{}", TurnoWebFactory.WhatsAppDefaults["WhatsApp:AppSecret"])).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/simulator/whatsapp")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("admin@demo.turno")).StatusCode);
        var page = await client.GetAsync("/simulator/whatsapp");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("wa-phone", await page.HtmlAsync());
        Assert.DoesNotContain("/simulator/whatsapp", await client.GetHtmlAsync("/admin/services"));

        // A message is never marked sent by a simulator nobody sees: it fails at once with the reason.
        var transport = factory.Services.GetRequiredService<IWhatsAppTransport>();
        Assert.IsType<NotConnectedTransport>(transport);
        var result = await transport.SendAsync(new System.Text.Json.Nodes.JsonObject { ["to"] = "573001112233", ["type"] = "text" }, default);
        Assert.False(result.Ok);
        Assert.False(factory.Services.GetRequiredService<WhatsAppSimulator>().Enabled);
    }

    [Fact]
    public async Task In_Development_the_simulator_is_for_administrators_and_its_webhook_answers()
    {
        await using var factory = new TurnoWebFactory { Environment = "Development" };
        Assert.IsType<SimulatorTransport>(factory.Services.GetRequiredService<IWhatsAppTransport>());
        var r = await factory.CreateClient().GetAsync(Challenge);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("42", await r.Content.ReadAsStringAsync());

        var anonymous = factory.Browser();
        Assert.StartsWith("/account/login", (await anonymous.GetAsync("/simulator/whatsapp")).Headers.Location!.PathAndQuery());
        var agent = factory.Browser();
        await agent.LoginAsync("agente1@demo.turno");
        Assert.StartsWith("/account/access-denied", (await agent.GetAsync("/simulator/whatsapp")).Headers.Location!.PathAndQuery());
        var admin = factory.Browser();
        await admin.LoginAsync("admin@demo.turno");
        var page = await admin.GetAsync("/simulator/whatsapp");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("wa-phone", await page.HtmlAsync());
    }
}
