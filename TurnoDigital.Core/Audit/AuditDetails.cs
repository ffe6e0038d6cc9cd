using System.Text.Json;
using System.Text.Json.Nodes;

namespace TurnoDigital.Core.Audit;

/// <summary>
/// The JSON stored in <see cref="AuditEntry.Details"/>: always valid and at most <see cref="AuditEntry.DetailsMax"/> characters.
/// Too long, it keeps its shape: long strings are shortened (ending in "…"), then the largest parts are dropped, and
/// <c>"truncated": true</c> says so (a value that is no object is kept under <c>"value"</c>).
/// </summary>
public static class AuditDetails
{
    public const string TruncatedKey = "truncated", ValueKey = "value";
    const int LongestKeptString = 256, ShortestKeptString = 8;

    public static string? Serialize(object? details, int max = AuditEntry.DetailsMax)
    {
        if (details is null) return null;
        var json = JsonSerializer.Serialize(details);
        if (json.Length <= max) return json;

        var root = JsonNode.Parse(json) as JsonObject ?? new JsonObject { [ValueKey] = JsonNode.Parse(json) };
        root[TruncatedKey] = true;
        for (var limit = LongestKeptString; limit >= ShortestKeptString && Length(root) > max; limit /= 2) ShortenStrings(root, limit);
        while (Length(root) > max && DropLargest(root, isRoot: true)) { }
        return Length(root) <= max ? root.ToJsonString() : $"{{\"{TruncatedKey}\":true}}";
    }

    static int Length(JsonNode node) => node.ToJsonString().Length;

    static void ShortenStrings(JsonNode? node, int limit)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                    if (Shortened(value, limit) is { } s) o[key] = s; else ShortenStrings(value, limit);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (Shortened(a[i], limit) is { } s) a[i] = s; else ShortenStrings(a[i], limit);
                break;
        }
    }

    /// <summary>The string cut to <paramref name="limit"/> characters plus "…" (never splitting a surrogate pair); null when it is no long string.</summary>
    static string? Shortened(JsonNode? node, int limit)
    {
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length <= limit) return null;
        var cut = char.IsHighSurrogate(s[limit - 1]) ? limit - 1 : limit;
        return s[..cut] + "…";
    }

    /// <summary>Removes one piece of the largest branch: the last item of an array, or the largest member of an object.</summary>
    static bool DropLargest(JsonNode node, bool isRoot = false)
    {
        switch (node)
        {
            case JsonObject o:
                var members = o.Where(m => !(isRoot && m.Key == TruncatedKey)).ToList();
                if (members.Count == 0) return false;
                var (key, value) = members.MaxBy(m => m.Value is null ? 4 : Length(m.Value));
                if (value is JsonObject or JsonArray && DropLargest(value)) return true;
                o.Remove(key);
                return true;
            case JsonArray a when a.Count > 0:
                a.RemoveAt(a.Count - 1);
                return true;
            default:
                return false;
        }
    }
}
