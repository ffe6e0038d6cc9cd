using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;

namespace TurnoDigital.Web.Components.Shared;

/// <summary>What the person typed in an <see cref="IntakeForm"/>; kept as typed (never cleared on errors) until booked.</summary>
public sealed class IntakeModel
{
    /// <summary>Enum name (CC, CE, …) or empty: a plain string binds cleanly to a select.</summary>
    public string DocumentType { get; set; } = "";
    public string DocumentNumber { get; set; } = "";
    public string FullName { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Email { get; set; } = "";
    public Dictionary<string, string> Custom { get; } = new(StringComparer.Ordinal);

    public string Get(string key) => Custom.GetValueOrDefault(key) ?? "";
    public void Set(string key, string? value) => Custom[key] = value ?? "";

    public DocumentType? ParsedDocumentType =>
        Enum.TryParse<DocumentType>(DocumentType, out var t) && Enum.IsDefined(t) ? t : null;

    /// <summary>The channel-neutral input the Core validator and BookingService take.</summary>
    public IntakeInput ToInput() => new(ParsedDocumentType, Blank(DocumentNumber), Blank(FullName), Blank(Phone), Blank(Email),
        Custom.ToDictionary(kv => kv.Key, kv => Blank(kv.Value)));

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
