using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// Meta's Graph API messages endpoint on a loopback port: captures every request and answers
/// with the real success or error JSON, following a script of queued answers (then success).
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    public const string Version = "v23.0", PhoneNumberId = "1234567890", Token = "EAAG-test-token";

    public sealed record Captured(string Path, string? Authorization, JsonObject Body)
    {
        /// <summary>When the request arrived (UTC), for rate checks.</summary>
        public DateTime At { get; init; } = DateTime.UtcNow;
    }

    readonly WebApplication app;
    readonly ConcurrentQueue<Func<HttpContext, Task<IResult>>> script = new();
    int next;

    public ConcurrentQueue<Captured> Requests { get; } = new();
    public string BaseUrl { get; private set; } = "";

    FakeGraphApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpContext http) =>
        {
            var arrived = DateTime.UtcNow;
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
            Requests.Enqueue(new Captured(http.Request.Path, http.Request.Headers.Authorization, body) { At = arrived });
            return script.TryDequeue(out var answer) ? await answer(http) : Success(body);
        });
    }

    public static async Task<FakeGraphApi> StartAsync()
    {
        var api = new FakeGraphApi();
        await api.app.StartAsync();
        api.BaseUrl = api.app.Urls.First().TrimEnd('/') + $"/{Version}/";
        return api;
    }

    /// <summary>The settings that point the app's Cloud API transport here.</summary>
    public Dictionary<string, string?> Settings(string appSecret = "test-app-secret") => new()
    {
        ["WhatsApp:Mode"] = "CloudApi",
        ["WhatsApp:GraphApiBaseUrl"] = BaseUrl,
        ["WhatsApp:PhoneNumberId"] = PhoneNumberId,
        ["WhatsApp:AccessToken"] = Token,
        ["WhatsApp:AppSecret"] = appSecret,
        ["WhatsApp:VerifyToken"] = "test-verify-token",
    };

    IResult Success(JsonObject body) => Results.Json(new
    {
        messaging_product = "whatsapp",
        contacts = new[] { new { input = body["to"]?.ToString(), wa_id = body["to"]?.ToString() } },
        messages = new[] { new { id = $"wamid.FAKE{Interlocked.Increment(ref next)}" } },
    });

    /// <summary>The next request gets Meta's error envelope with this HTTP status and error code.</summary>
    public void FailNext(int httpStatus, int code, string message = "error") =>
        script.Enqueue(_ => Task.FromResult(Results.Json(new
        {
            error = new { message, type = "OAuthException", code, error_data = new { messaging_product = "whatsapp", details = message }, fbtrace_id = "Atest" },
        }, statusCode: httpStatus)));

    /// <summary>The next request gets no answer until the client gives up (its timeout) or a minute passes.</summary>
    public void HangNext() => script.Enqueue(async http =>
    {
        try { await Task.Delay(TimeSpan.FromMinutes(1), http.RequestAborted); }
        catch (OperationCanceledException) { }
        return Results.Ok();
    });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
