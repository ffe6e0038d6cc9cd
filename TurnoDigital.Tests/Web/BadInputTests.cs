using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>Hostile and malformed input on every public entry point: never a 5xx, never markup echoed unescaped.</summary>
public class BadInputTests(BadInputTests.Factory factory) : IClassFixture<BadInputTests.Factory>
{
    /// <summary>The webhook is open outside Development only on the Cloud API: the fake Graph API takes the bot's replies.</summary>
    public sealed class Factory : CloudApiWebFactory;

    const string Script = "<script>alert(1)</script>", Img = "\"><img src=x onerror=alert(1)>";

    /// <summary>Strings that travel in URLs and forms (no lone surrogates: they cannot be percent-encoded).</summary>
    static readonly string[] Nasty =
    [
        "", " ", "   \t", new string('A', 300), new string('9', 5000), new string('Ñ', 20_000),
        "\0", "a\0b", "\u0001\u0002\u001f\u007f", "a\r\nSet-Cookie: x=1", "\r\n\r\n<html>", "\u202Eexe.txt", "😀👍🏽", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        Script, Img, "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x/a}", "@(1+1)",
        "' OR '1'='1", "'; DROP TABLE Tickets; --", "1; SELECT * FROM AspNetUsers", "\" OR \"\"=\"", "%", "%00", "%%32%65", "_", "[", "\\",
        "../../etc/passwd", "..\\..\\windows\\win.ini", "/", "//evil.example", "/\\evil.example", "https://evil.example",
        "-1", "0", "2147483648", "99999999999999999999", "1e309", "NaN", "null", "true", "[]", "{}", "A-001", "KIOSCO-DEMO",
    ];

    static string E(string s) => Uri.EscapeDataString(s);

    /// <summary>In a path segment: NUL is refused by Kestrel with 400 before the app (the test server throws instead), so it is not sent there.</summary>
    static string P(string s) => Uri.EscapeDataString(s.Replace("\0", ""));

    static async Task AssertSafeAsync(HttpResponseMessage r, string what)
    {
        what = Trim(what, 160);
        Assert.True((int)r.StatusCode < 500, $"{what} → {(int)r.StatusCode}");
        // Kestrel refuses control and non-ASCII characters in headers with a 500; the test server does not, so check here.
        if (r.Headers.Location is { } location)
            Assert.True(location.OriginalString.All(c => c is >= ' ' and < '\u007f'), $"{what} → Location «{Trim(location.OriginalString, 160)}»");
        var body = await r.Content.ReadAsStringAsync();
        Assert.False(body.Contains(Script) || body.Contains("<img src=x onerror"), $"{what} echoed markup unescaped");
    }

    [Fact]
    public async Task Public_urls_survive_hostile_path_and_query_values()
    {
        var client = factory.Browser();
        var count = 0;
        foreach (var x in Nasty)
        {
            var urls = new[]
            {
                $"/t/{P(x)}", $"/t/{P(x)}/live", $"/fila/{P(x)}/live", $"/cita/{P(x)}", $"/cita/{P(x)}/ics", $"/cita/{P(x)}/live", $"/pair/{P(x)}",
                $"/culture?c={E(x)}&returnUrl={E(x)}", $"/culture?c=en&returnUrl=/{P(x)}",
                $"/account/login?returnUrl={E(x)}", $"/book?service={E(x)}", $"/fila/{P(x)}",
                $"/webhooks/whatsapp?hub.mode={E(x)}&hub.verify_token={E(x)}&hub.challenge={E(x)}",
            };
            foreach (var url in urls)
            {
                await AssertSafeAsync(await client.GetAsync(url), url);
                count++;
            }
        }
        Assert.True(count >= 300, $"{count} requests");
        // A non-ASCII return URL is kept, percent-encoded as a browser would.
        var accented = await client.GetAsync("/culture?c=es-CO&returnUrl=" + E("/cita/año"));
        Assert.Equal("/cita/a%C3%B1o", accented.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_webhook_refuses_unsigned_bodies_and_survives_signed_hostile_ones()
    {
        var secret = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TurnoDigital.Core.WhatsApp.WhatsAppOptions>>().Value.AppSecret;
        var client = factory.CreateClient();
        var count = 0;
        async Task PostAsync(string body, bool sign)
        {
            var r = await client.PostWebhookAsync(body, sign ? secret : null);
            await AssertSafeAsync(r, "webhook " + body);
            Assert.Equal(sign ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.Unauthorized, r.StatusCode);
            count++;
        }
        foreach (var x in Nasty)
        {
            await PostAsync(x, sign: false);
            await PostAsync(x, sign: true);
            // A well-formed envelope carrying the hostile value as text, as a reply id, as the sender and as a timestamp.
            await PostAsync(TurnoDigital.Core.WhatsApp.Transport.MetaPayloads.Text("573001110000", "wamid.BAD" + count, x, factory.Clock.GetUtcNow().UtcDateTime, FakeGraphApi.PhoneNumberId), sign: true);
            await PostAsync(TurnoDigital.Core.WhatsApp.Transport.MetaPayloads.Reply("573001110000", "wamid.BADR" + count, x, x, list: true, factory.Clock.GetUtcNow().UtcDateTime, phoneNumberId: FakeGraphApi.PhoneNumberId), sign: true);
            await PostAsync(System.Text.Json.JsonSerializer.Serialize(new { entry = new[] { new { changes = new[] { new { value = new { messages = new[] { new { from = x, id = x, timestamp = x, type = x } } } } } } } }), sign: true);
        }
        Assert.True(count >= 200, $"{count} requests");
        // The worker gets through all of it: every payload processed, malformed ones marked, the bot answered the rest.
        // The dispatcher keeps sending the bot's replies meanwhile: only what this test posted (up to the last id now) must be settled.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var posted = await db.WebhookInbox.MaxAsync(i => i.Id);
        // Receipts for messages not known yet are kept for two minutes before they are given up: let that time pass.
        // The app's own worker runs beside this test's passes; a few passes let both settle.
        factory.Clock.Jump(TimeSpan.FromMinutes(3));
        var worker = factory.Services.GetRequiredService<TurnoDigital.Core.WhatsApp.Transport.WhatsAppWorker>();
        for (var pass = 0; pass < 10 && (pass == 0 || await db.WebhookInbox.AnyAsync(i => i.Id <= posted && i.ProcessedAt == null)
            || await db.InboundMessages.AnyAsync(m => m.HandledAt == null)); pass++)
            await worker.RunOnceAsync();
        Assert.False(await db.WebhookInbox.AnyAsync(i => i.Id <= posted && i.ProcessedAt == null));
        Assert.True(await db.WebhookInbox.CountAsync(i => i.Error != null) >= Nasty.Length);
        Assert.False(await db.InboundMessages.AnyAsync(m => m.HandledAt == null));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Login_and_pairing_forms_survive_hostile_fields()
    {
        var client = factory.Browser();
        var count = 0;
        foreach (var x in Nasty.Append(new string('x', 2_000_000)))
        {
            await AssertSafeAsync(await client.LoginAsync(x, x), $"login «{Trim(x)}»");
            await AssertSafeAsync(await client.PairAsync("kiosk", x), $"pair «{Trim(x)}»");
            count += 2;
        }
        Assert.True(count >= 90, $"{count} requests");
    }

    static string Trim(string s, int max = 40) => s.Length > max ? s[..max] + "…" : s;

    [Fact]
    public async Task The_api_survives_wrong_types_broken_json_and_huge_bodies()
    {
        var api = factory.CreateClient(new() { AllowAutoRedirect = false });
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        var count = 0;
        foreach (var x in Nasty)
        {
            foreach (var url in new[]
            {
                $"/api/v1/services?branchId={E(x)}", $"/api/v1/availability?branchId={E(x)}&serviceId={E(x)}&date={E(x)}",
                $"/api/v1/appointments/{P(x)}", $"/api/v1/tickets/{P(x)}",
            })
            {
                await AssertSafeAsync(await api.GetAsync(url), url);
                count++;
            }
            await AssertSafeAsync(await api.DeleteAsync($"/api/v1/appointments/{P(x)}"), $"DELETE {x}");
            count++;
        }

        static string s(string v) => System.Text.Json.JsonSerializer.Serialize(v);
        var bodies = new List<string>
        {
            "", "{", "}", "[]", "null", "true", "\"texto\"", "12", "{\"branchId\":", "{'branchId':1}", "\u0000", "{\"branchId\":1,}",
            "{\"branchId\":\"1\"}", "{\"branchId\":-1,\"serviceId\":-1}", "{\"branchId\":1e400}", "{\"branchId\":2147483648}", "{\"branchId\":1.5}",
            "{\"branchId\":true}", "{\"branchId\":[1]}", "{\"branchId\":{}}", "{\"serviceId\":null}", "{\"customer\":[]}", "{\"customer\":\"x\"}",
            "{\"customer\":{\"documentType\":5}}", "{\"customer\":{\"documentType\":\"\\ud800\"}}", "{\"intake\":[]}", "{\"intake\":{\"a\":1}}",
            "{\"intake\":{\"a\":{\"b\":1}}}", "{\"consent\":{\"whatsApp\":\"yes\"}}", "{\"start\":12}", "{\"start\":\"mañana\"}",
            "{\"start\":\"9999-99-99T99:99:99+99:99\"}", "{\"start\":\"0001-01-01T00:00:00Z\"}", "{\"start\":\"9999-12-31T23:59:59-05:00\"}",
            new string('[', 5000) + new string(']', 5000), "{\"a\":" + new string('[', 200) + new string(']', 200) + "}",
            "{\"customer\":{\"fullName\":\"" + new string('x', 2_000_000) + "\"}}",
            "{\"branchId\":1,\"serviceId\":1,\"customer\":{\"documentType\":\"CC\",\"documentNumber\":" + s("' OR 1=1 --") + ",\"fullName\":" + s(Script) + "}}",
        };
        foreach (var x in Nasty.Take(30))
            bodies.Add("{\"branchId\":1,\"serviceId\":1,\"start\":" + s(x) + ",\"customer\":{\"documentType\":" + s(x) + ",\"documentNumber\":" + s(x)
                + ",\"fullName\":" + s(x) + ",\"phone\":" + s(x) + ",\"email\":" + s(x) + "},\"intake\":{" + s(x) + ":" + s(x) + "}}");
        foreach (var body in bodies)
        foreach (var url in new[] { "/api/v1/appointments", "/api/v1/tickets" })
        foreach (var type in new[] { "application/json", "text/plain" })
        {
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new(type);
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add("Idempotency-Key", body.Length > 100 ? body[..100] : body.Replace("\0", "0") + "k");
            await AssertSafeAsync(await api.SendAsync(request), $"POST {url} {type} «{Trim(body)}»");
            count++;
        }
        // Invalid UTF-8 bytes.
        var bytes = new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
        bytes.Headers.ContentType = new("application/json");
        await AssertSafeAsync(await api.PostAsync("/api/v1/tickets", bytes), "invalid UTF-8");
        Assert.True(count >= 300, $"{count} requests");
    }

    [Fact]
    public async Task Stored_markup_is_rendered_as_text()
    {
        int serviceId;
        string branchName;
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var service = await db.Services.Include(s => s.Branch).FirstAsync(s => s.Name == "Caja");
            service.Name = "Caja " + Script;
            service.Branch!.Address = "Calle 1 " + Img;
            await db.SaveChangesAsync();
            serviceId = service.Id;
            branchName = service.Branch.Name;
        }
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        var branchId = (await dbFactory.CreateDbContext().Services.FindAsync(serviceId))!.BranchId;
        var issued = await api.PostAsync("/api/v1/tickets", new StringContent($"{{\"branchId\":{branchId},\"serviceId\":{serviceId}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var code = System.Text.Json.Nodes.JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();

        var page = await factory.Browser().GetAsync($"/t/{code}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        await AssertSafeAsync(page, "/t with stored markup");
        var board = factory.Browser();
        await board.PairAsync("display", TurnoWebFactory.DisplayCode);
        await AssertSafeAsync(await board.GetAsync("/display"), "/display with stored markup");
        await AssertSafeAsync(await factory.Browser().GetAsync("/book"), "/book with stored markup");
        Assert.NotEmpty(branchName);
    }
}
