using System.Net;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Configuration;

/// <summary>
/// The built app started as a process in Production, as an installation runs it: it refuses demo settings by name, starts clean
/// without any demo, and gets its first administrator from the create-admin command.
/// </summary>
public class ProductionStartTests
{
    [Fact]
    public async Task With_the_demo_switch_on_it_exits_non_zero_naming_the_key()
    {
        using var database = new TempDatabase();
        await using var app = ProcessApp.Start(database, ProcessApp.Production(database, new Dictionary<string, string> { ["Demo__Seed"] = "true", ["Demo__ApiKey"] = "td_demo_turno_2026" }));
        Assert.NotEqual(0, await app.WaitForExitAsync());
        Assert.Contains("Demo:Seed", app.Output);
        Assert.Contains("Demo:ApiKey", app.Output);
        Assert.DoesNotContain("Demo:Password", app.Output);
        Assert.DoesNotContain("Now listening", app.Output);
    }

    [Fact]
    public async Task On_the_Cloud_API_with_a_demo_app_secret_and_no_token_it_exits_non_zero_naming_them()
    {
        using var database = new TempDatabase();
        await using var app = ProcessApp.Start(database, ProcessApp.Production(database, new Dictionary<string, string>
        {
            ["WhatsApp__Mode"] = "CloudApi", ["WhatsApp__AppSecret"] = "turno-demo-simulator-secret", ["WhatsApp__VerifyToken"] = "a-real-verify-token",
            ["WhatsApp__PhoneNumberId"] = "109876543210",
        }));
        Assert.NotEqual(0, await app.WaitForExitAsync());
        Assert.Contains("WhatsApp:AppSecret", app.Output);
        Assert.Contains("WhatsApp:AccessToken", app.Output);
        Assert.DoesNotContain("WhatsApp:VerifyToken", app.Output);
        Assert.DoesNotContain("WhatsApp:PhoneNumberId", app.Output);
    }

    [Fact]
    public async Task Clean_it_starts_without_any_demo_and_create_admin_gives_the_first_administrator()
    {
        using var database = new TempDatabase();
        const string email = "jefa@entidad.gov.co", password = "Primera-Admin-2026";

        // The one-time command: migrates the empty database and creates the administrator; the password is never echoed.
        await using (var create = ProcessApp.Start(database, ProcessApp.Production(database, new Dictionary<string, string> { ["TURNO_ADMIN_PASSWORD"] = password }),
            "create-admin", "--email", email, "--name", "Jefa de sede"))
        {
            Assert.Equal(0, await create.WaitForExitAsync());
            Assert.Contains($"Administrador {email} creado", create.Output);
            Assert.DoesNotContain(password, create.Output);
        }
        await using var app = ProcessApp.Start(database, ProcessApp.Production(database));
        var client = await app.WaitUntilHealthyAsync();
        var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/branches");
        api.Headers.Add("X-Api-Key", "td_demo_turno_2026");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(api)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=turno-demo-verify&hub.challenge=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/webhooks/whatsapp", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/simulator/whatsapp")).StatusCode);

        var demoLogin = await client.LoginAsync("admin@demo.turno", "TurnoDemo2026");
        Assert.Equal(HttpStatusCode.OK, demoLogin.StatusCode);
        Assert.Contains("Correo o contraseña incorrectos", await demoLogin.HtmlAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);
    }
}
