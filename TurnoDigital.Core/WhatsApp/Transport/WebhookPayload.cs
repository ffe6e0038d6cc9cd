using System.Globalization;
using System.Text.Json;

namespace TurnoDigital.Core.WhatsApp.Transport;

public sealed record ParsedMessage(string Id, string From, string Type, string? Text, string? ReplyId, DateTime SentAt);
public sealed record ParsedTemplateStatus(string Name, string Language, string Status, string? Reason);
public sealed record ParsedStatus(string Id, string Status, DateTime At, int? ErrorCode, string? Error);

/// <summary>Reads Meta's webhook envelope: every entry, change, message and status in one POST.</summary>
public static class WebhookPayload
{
    /// <summary>
    /// Throws <see cref="FormatException"/> when the body is not a WhatsApp webhook payload at all;
    /// a bad message or status inside a good payload is skipped and described in Problems.
    /// With <paramref name="phoneNumberId"/> set, a change for another business number (<c>metadata.phone_number_id</c>) is
    /// skipped and counted in Foreign: the app secret is per app, and one app may serve several numbers.
    /// </summary>
    public static (List<ParsedMessage> Messages, List<ParsedStatus> Statuses, List<string> Problems, int Foreign) Parse(string body,
        string? phoneNumberId = null)
    {
        var foreign = 0;
        var messages = new List<ParsedMessage>();
        var statuses = new List<ParsedStatus>();
        var problems = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
                throw new FormatException("No 'entry' array.");
            foreach (var entry in entries.EnumerateArray())
            {
                if (!entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array) continue;
                foreach (var change in changes.EnumerateArray())
                {
                    if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) continue;
                    if (Str(change, "field") == TemplateField) continue; // the account's, not a number's: see TemplateUpdates
                    if (!string.IsNullOrEmpty(phoneNumberId)
                        && (!value.TryGetProperty("metadata", out var metadata) || Str(metadata, "phone_number_id") != phoneNumberId))
                    {
                        foreign++;
                        continue;
                    }
                    foreach (var m in Items(value, "messages")) Try(() => messages.Add(Message(m)), problems);
                    foreach (var s in Items(value, "statuses")) Try(() => statuses.Add(Status(s)), problems);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException(e.Message, e);
        }
        return (messages, statuses, problems, foreign);
    }

    public const string TemplateField = "message_template_status_update";

    /// <summary>Meta's template reviews in the payload (approved, rejected, paused…); malformed ones are skipped.</summary>
    public static List<ParsedTemplateStatus> TemplateUpdates(string body)
    {
        var updates = new List<ParsedTemplateStatus>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array) return updates;
            foreach (var entry in entries.EnumerateArray())
                foreach (var change in Items(entry, "changes"))
                    if (Str(change, "field") == TemplateField && change.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Object
                        && Str(v, "message_template_name") is { Length: > 0 } name && Str(v, "event") is { Length: > 0 } status)
                        updates.Add(new(name, Str(v, "message_template_language") ?? "", status.ToUpperInvariant(), Str(v, "reason")));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { }
        return updates;
    }

    static void Try(Action read, List<string> problems)
    {
        try { read(); }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            problems.Add(e.Message);
        }
    }

    static IEnumerable<JsonElement> Items(JsonElement value, string name) =>
        value.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    static ParsedMessage Message(JsonElement m)
    {
        var type = Str(m, "type") ?? "unsupported";
        string? text = null, replyId = null;
        switch (type)
        {
            case "text":
                text = m.GetProperty("text").GetProperty("body").GetString();
                break;
            case "interactive":
                var i = m.GetProperty("interactive");
                var reply = Str(i, "type") == "list_reply" ? i.GetProperty("list_reply") : i.GetProperty("button_reply");
                replyId = Str(reply, "id");
                text = Str(reply, "title");
                break;
            case "button": // a quick-reply button of a template
                var b = m.GetProperty("button");
                replyId = Str(b, "payload");
                text = Str(b, "text");
                break;
        }
        var from = Required(m, "from");
        if (from.Length > InboundMessage.WaIdMax || !from.All(char.IsAsciiDigit)) throw new FormatException("Bad 'from'.");
        return new ParsedMessage(Required(m, "id"), from, Cut(type, InboundMessage.TypeMax)!,
            Cut(text, InboundMessage.TextMax), Cut(replyId, InboundMessage.ReplyIdMax), Time(m));
    }

    static ParsedStatus Status(JsonElement s)
    {
        int? code = null;
        string? error = null;
        if (s.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var e = errors[0];
            code = e.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
            error = Str(e, "title") ?? Str(e, "message");
            if (e.TryGetProperty("error_data", out var data) && Str(data, "details") is { } details) error = $"{error}: {details}";
        }
        return new ParsedStatus(Required(s, "id"), Required(s, "status"), Time(s), code, Cut(error, OutboxMessage.ErrorMax));
    }

    static DateTime Time(JsonElement e) =>
        long.TryParse(Str(e, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime
            : throw new FormatException("Missing or bad 'timestamp'.");

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    static string Required(JsonElement e, string name) =>
        Str(e, name) is { Length: > 0 and <= 200 } v ? v : throw new FormatException($"Missing '{name}'.");

    static string? Cut(string? s, int max) => s is null ? null : s.Length <= max ? s : s[..max];
}
