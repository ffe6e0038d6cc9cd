using System.Globalization;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>
/// Builds <see cref="OutgoingContent"/> that WhatsApp accepts: at most 3 buttons (titles ≤20) or 10 list rows
/// (titles ≤24, descriptions ≤72, ids ≤200), unique ids, a body ≤1024. Long texts are cut on a character
/// boundary with "…" rather than rejected by Meta.
/// </summary>
public static class ChatContent
{
    public const int IdMax = 200, ListButtonMax = 20;

    public static OutgoingContent Text(string text) => new(Fit(text, OutgoingContent.BodyMax));

    public static OutgoingContent List(string text, string button, IEnumerable<Choice> rows) =>
        new(Fit(text, OutgoingContent.BodyMax), Rows: Clean(rows, OutgoingContent.MaxRows, OutgoingContent.RowTitleMax, OutgoingContent.RowDescriptionMax),
            ListButton: Fit(button, ListButtonMax));

    /// <summary>Reply buttons carry no description in WhatsApp; any given is dropped.</summary>
    public static OutgoingContent Buttons(string text, IEnumerable<Choice> buttons) =>
        new(Fit(text, OutgoingContent.BodyMax), Buttons: Clean(buttons, OutgoingContent.MaxButtons, OutgoingContent.ButtonTitleMax, 0));

    /// <summary>The options of a message in the order shown, for "type the number" fallbacks.</summary>
    public static IReadOnlyList<Choice> Options(OutgoingContent content) => content.Buttons ?? content.Rows ?? [];

    /// <summary>Cuts to at most <paramref name="max"/> characters without splitting an accent or emoji; "…" marks the cut.</summary>
    public static string Fit(string? text, int max)
    {
        text = (text ?? "").Trim();
        if (text.Length <= max) return text;
        var info = new StringInfo(text);
        var kept = new System.Text.StringBuilder();
        for (var i = 0; i < info.LengthInTextElements; i++)
        {
            var element = info.SubstringByTextElements(i, 1);
            if (kept.Length + element.Length > max - 1) break;
            kept.Append(element);
        }
        return kept.ToString().TrimEnd() + "…";
    }

    static List<Choice> Clean(IEnumerable<Choice> choices, int maxCount, int titleMax, int descriptionMax)
    {
        var result = new List<Choice>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in choices)
        {
            if (result.Count == maxCount) break;
            var id = Fit(c.Id, IdMax);
            if (id.Length == 0 || !ids.Add(id)) continue;
            var title = Fit(c.Title, titleMax);
            if (title.Length == 0) title = $"Opción {result.Count + 1}";
            var description = descriptionMax == 0 || string.IsNullOrWhiteSpace(c.Description) ? null : Fit(c.Description, descriptionMax);
            result.Add(new Choice(id, title, description));
        }
        return result;
    }
}
