using System.Text.RegularExpressions;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Appointments;

/// <summary>What a channel collected for a service's intake definition.</summary>
public sealed record IntakeInput(
    DocumentType? DocumentType = null, string? DocumentNumber = null, string? FullName = null, string? Phone = null, string? Email = null,
    IReadOnlyDictionary<string, string?>? Custom = null);

/// <summary>Validated and normalised intake: the document, phone and e-mail as value objects.</summary>
public sealed record IntakeValue(DocumentId? Document, string? FullName, PhoneNumber? Phone, EmailAddress? Email,
    IReadOnlyDictionary<string, string> Custom);

/// <summary>Bad input, with a Spanish message per field key; every form and the API show them as they are.</summary>
public sealed class IntakeValidationException(IReadOnlyDictionary<string, string> errors)
    : Common.DomainException("Intake.Invalid", string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}

/// <summary>One set of rules for every channel, driven by the service's intake definition.</summary>
public static partial class IntakeValidator
{
    public static IntakeValue Validate(IReadOnlyList<IntakeField> fields, IntakeInput input)
    {
        var errors = new Dictionary<string, string>();
        DocumentId? document = null;
        PhoneNumber? phone = null;
        EmailAddress? email = null;
        string? name = null;
        var custom = new Dictionary<string, string>();

        foreach (var f in fields.OrderBy(f => f.Order))
        {
            switch (f.Kind)
            {
                case IntakeFieldKind.Document:
                    var number = Clean(input.DocumentNumber);
                    if (number is null && input.DocumentType is null) { if (f.Required) errors[f.Key] = "Escriba el tipo y el número de documento."; break; }
                    if (input.DocumentType is null) { errors[f.Key] = "Elija el tipo de documento."; break; }
                    if (!DocumentId.TryCreate(input.DocumentType.Value, number, out document)) errors[f.Key] = DocumentId.Hint(input.DocumentType.Value);
                    break;
                case IntakeFieldKind.FullName:
                    var n = Clean(input.FullName);
                    if (n is null) { if (f.Required) errors[f.Key] = "Escriba el nombre completo."; break; }
                    if (n.Length < 3 || n.Length > Math.Min(f.MaxLength, Customer.NameMax) || !NamePattern().IsMatch(n))
                        errors[f.Key] = "El nombre solo puede tener letras, espacios, apóstrofos y guiones (3 a 120 caracteres).";
                    else name = CollapseSpaces().Replace(n, " ");
                    break;
                case IntakeFieldKind.Phone:
                    var p = Clean(input.Phone);
                    if (p is null) { if (f.Required) errors[f.Key] = "Escriba el número de celular."; break; }
                    if (!PhoneNumber.TryParse(p, out phone)) errors[f.Key] = "El celular no es válido. Escriba 10 dígitos, por ejemplo 300 123 4567.";
                    break;
                case IntakeFieldKind.Email:
                    var e = Clean(input.Email);
                    if (e is null) { if (f.Required) errors[f.Key] = "Escriba el correo electrónico."; break; }
                    if (e.Length > f.MaxLength || !EmailAddress.TryParse(e, out email))
                        errors[f.Key] = "El correo electrónico no es válido.";
                    break;
                default:
                    var value = Clean(input.Custom?.GetValueOrDefault(f.Key));
                    if (value is null) { if (f.Required) errors[f.Key] = $"Complete «{f.Label}»."; break; }
                    var error = f.Kind switch
                    {
                        IntakeFieldKind.Number when !Digits().IsMatch(value) => $"«{f.Label}» solo admite números.",
                        IntakeFieldKind.Date when !DateOnly.TryParseExact(value, "yyyy-MM-dd", out _) => $"«{f.Label}» debe ser una fecha (AAAA-MM-DD).",
                        IntakeFieldKind.Choice when !f.OptionList.Contains(value) => $"Elija una opción válida para «{f.Label}».",
                        _ when value.Length > f.MaxLength => $"«{f.Label}» admite máximo {f.MaxLength} caracteres.",
                        _ => null,
                    };
                    if (error is null) custom[f.Key] = value; else errors[f.Key] = error;
                    break;
            }
        }
        if (errors.Count > 0) throw new IntakeValidationException(errors);
        return new IntakeValue(document, name, phone, email, custom);
    }

    /// <summary>Trimmed text, or null when empty; control characters are never stored.</summary>
    static string? Clean(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = new string(s.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return s.Length == 0 ? null : s[..Math.Min(s.Length, 500)];
    }

    [GeneratedRegex(@"^[\p{L}][\p{L}\p{M} '’\-]*$")] private static partial Regex NamePattern();
    [GeneratedRegex(@"\s+")] private static partial Regex CollapseSpaces();
    [GeneratedRegex("^[0-9]+$")] private static partial Regex Digits();
}
