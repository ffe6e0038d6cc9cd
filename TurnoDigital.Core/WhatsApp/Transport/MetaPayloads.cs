using System.Globalization;
using System.Text.Json.Nodes;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>Builds webhook bodies shaped exactly like Meta's, for the simulator's phone and receipts.</summary>
public static class MetaPayloads
{
    /// <summary>The phone_number_id put in the metadata when the caller gives none (the simulator with no number configured).</summary>
    public const string SimulatorPhoneNumberId = "simulator";

    public static string Text(string from, string id, string body, DateTime at, string? phoneNumberId = null) =>
        Envelope(Messages(from, new JsonObject { ["from"] = from, ["id"] = id, ["timestamp"] = Unix(at), ["type"] = "text", ["text"] = new JsonObject { ["body"] = body } },
            phoneNumberId));

    /// <summary>A tapped reply button or list row (<paramref name="list"/>).</summary>
    public static string Reply(string from, string id, string replyId, string title, bool list, DateTime at, string? contextId = null, string? phoneNumberId = null)
    {
        var kind = list ? "list_reply" : "button_reply";
        var message = new JsonObject
        {
            ["from"] = from, ["id"] = id, ["timestamp"] = Unix(at), ["type"] = "interactive",
            ["interactive"] = new JsonObject { ["type"] = kind, [kind] = new JsonObject { ["id"] = replyId, ["title"] = title } },
        };
        if (contextId is not null) message["context"] = new JsonObject { ["from"] = "15550000000", ["id"] = contextId };
        return Envelope(Messages(from, message, phoneNumberId));
    }

    public static string Status(string waMessageId, string recipient, string status, DateTime at, string? phoneNumberId = null) =>
        Envelope(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = Metadata(phoneNumberId),
            ["statuses"] = new JsonArray(new JsonObject { ["id"] = waMessageId, ["status"] = status, ["timestamp"] = Unix(at), ["recipient_id"] = recipient }),
        });

    static JsonObject Messages(string from, JsonObject message, string? phoneNumberId) => new()
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = Metadata(phoneNumberId),
        ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = "Simulador" }, ["wa_id"] = from }),
        ["messages"] = new JsonArray(message),
    };

    static JsonObject Metadata(string? phoneNumberId) => new()
    {
        ["display_phone_number"] = "15550000000",
        ["phone_number_id"] = string.IsNullOrEmpty(phoneNumberId) ? SimulatorPhoneNumberId : phoneNumberId,
    };

    static string Envelope(JsonObject value) => new JsonObject
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "simulator",
            ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
        }),
    }.ToJsonString();

    static string Unix(DateTime at) => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
