namespace TurnoDigital.Core.WhatsApp;

/// <summary>A reply button or a list row.</summary>
public sealed record Choice(string Id, string Title, string? Description = null);

/// <summary>
/// What one outbound message says, independent of the transport: a text, optional reply buttons
/// (≤3) or list rows (≤10), and the parameters of the kind's template for outside the 24-hour window.
/// </summary>
public sealed record OutgoingContent(string Text, IReadOnlyList<Choice>? Buttons = null, IReadOnlyList<Choice>? Rows = null,
    string? ListButton = null, IReadOnlyList<string>? TemplateParameters = null)
{
    public const int MaxButtons = 3, ButtonTitleMax = 20, MaxRows = 10, RowTitleMax = 24, RowDescriptionMax = 72, BodyMax = 1024;
}
