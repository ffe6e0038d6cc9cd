namespace TurnoDigital.Core.Organization;

public enum IntakeFieldKind { Document, FullName, Phone, Email, Text, Number, Date, Choice }

/// <summary>
/// One field of a service's intake definition: what every channel (web, desk, kiosk, WhatsApp, API)
/// must collect for that service.
/// </summary>
public class IntakeField
{
    public const int KeyMax = 40, LabelMax = 100, OptionsMax = 500;

    public int Id { get; set; }
    public int ServiceId { get; set; }
    /// <summary>Stable key: "document", "fullName", "phone", "email", or a custom key.</summary>
    public string Key { get; set; } = "";
    public IntakeFieldKind Kind { get; set; }
    public string Label { get; set; } = "";
    public string? LabelEn { get; set; }
    public bool Required { get; set; }
    public int Order { get; set; }
    public int MaxLength { get; set; } = 100;
    /// <summary>Choice fields: options separated by "|".</summary>
    public string? Options { get; set; }

    public string DisplayLabel(bool english) => english && !string.IsNullOrWhiteSpace(LabelEn) ? LabelEn! : Label;
    public IReadOnlyList<string> OptionList => (Options ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static class Keys
    {
        public const string Document = "document", DocumentType = "documentType", FullName = "fullName", Phone = "phone", Email = "email";
    }
}
