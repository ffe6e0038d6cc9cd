using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>What the Graph API answered to one send. Transient = worth retrying (5xx, timeout, network).</summary>
public sealed record SendResult(string? WaMessageId, int? HttpStatus = null, int? ErrorCode = null, string? Error = null, bool Transient = false)
{
    public bool Ok => WaMessageId is not null;
}

public interface IWhatsAppTransport
{
    Task<SendResult> SendAsync(JsonObject message, CancellationToken ct);

    /// <summary>Called once the dispatcher recorded a successful send (the simulator answers with delivery receipts).</summary>
    Task AfterSentAsync(OutboxMessage message, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>POST {GraphApiBaseUrl}{PhoneNumberId}/messages with the bearer token.</summary>
public sealed class CloudApiTransport(IHttpClientFactory httpFactory, IOptionsMonitor<WhatsAppOptions> options) : IWhatsAppTransport
{
    public const string HttpClientName = "whatsapp-graph";
    public const string DemoNumberRefused = "No enviado: es un número de datos de demostración (+57 300 555 xxxx).";

    public async Task<SendResult> SendAsync(JsonObject message, CancellationToken ct)
    {
        // Demo people live in a reserved block: a demo database pointed at a real account must never message anyone.
        if (Demo.DemoPeople.IsDemoPhone(Str(message["to"]))) return new SendResult(null, Error: DemoNumberRefused);
        var o = options.CurrentValue;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(o.GraphApiBaseUrl), $"{o.PhoneNumberId}/messages"))
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
        try
        {
            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return Read((int)response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new SendResult(null, Error: e is TaskCanceledException ? "Tiempo de espera agotado con la API de WhatsApp." : e.Message, Transient: true);
        }
    }

    /// <summary>Success: messages[0].id. Error: {"error":{"code":…,"message":…,"error_data":{"details":…}}}.</summary>
    internal static SendResult Read(int status, string body)
    {
        JsonNode? json = null;
        try { json = JsonNode.Parse(body); } catch (JsonException) { }
        if (status is >= 200 and < 300)
            return Str((json?["messages"] as JsonArray)?.FirstOrDefault()?["id"]) is { Length: > 0 } id
                ? new SendResult(id, status)
                : new SendResult(null, status, Error: "Respuesta sin id de mensaje.", Transient: true);
        var error = json?["error"];
        int? code = error?["code"] is JsonValue v && v.TryGetValue<int>(out var c) ? c : null;
        var text = Str(error?["error_data"]?["details"]) ?? Str(error?["message"]) ?? $"HTTP {status}";
        return new SendResult(null, status, code, text, Transient: status >= 500 || status == (int)HttpStatusCode.RequestTimeout);
    }

    static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
