using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;

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

    /// <summary>What a static form posted for <paramref name="fields"/>, named as <see cref="IntakeForm"/> names them.</summary>
    public static IntakeModel FromForm(Microsoft.AspNetCore.Http.IFormCollection form, IEnumerable<IntakeField> fields, string idPrefix)
    {
        var model = new IntakeModel();
        foreach (var f in fields)
        {
            string Posted(string suffix = "") => form[$"{idPrefix}-{f.Key}{suffix}"].ToString();
            switch (f.Kind)
            {
                case IntakeFieldKind.Document: (model.DocumentType, model.DocumentNumber) = (Posted("-type"), Posted()); break;
                case IntakeFieldKind.FullName: model.FullName = Posted(); break;
                case IntakeFieldKind.Phone: model.Phone = Posted(); break;
                case IntakeFieldKind.Email: model.Email = Posted(); break;
                default: model.Set(f.Key, Posted()); break;
            }
        }
        return model;
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
