using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace TurnoDigital.Core.Customers;

/// <summary>
/// An identity document: type and number. The one document rule: the number loses spaces, dots and dashes and is upper-cased;
/// Colombian numeric documents are 3 to 15 digits, passports, PPT and CE 4 to 20 letters or digits.
/// Mapped as an owned type (columns DocumentType, DocumentNumber) so customers can be looked up by it through an index.
/// </summary>
public sealed partial record DocumentId
{
    DocumentId() { } // EF Core

    DocumentId(DocumentType type, string number) => (Type, Number) = (type, number);

    public DocumentType Type { get; private init; }
    public string Number { get; private init; } = "";

    public static bool TryCreate(DocumentType type, string? number, [NotNullWhen(true)] out DocumentId? document)
    {
        document = Normalize(type, number) is { } n ? new DocumentId(type, n) : null;
        return document is not null;
    }

    public static DocumentId Create(DocumentType type, string? number) =>
        TryCreate(type, number, out var document) ? document : throw new FormatException(Hint(type));

    public static DocumentId? CreateOrNull(DocumentType type, string? number) => TryCreate(type, number, out var document) ? document : null;

    /// <summary>Digits only for Colombian numeric documents; letters and digits for passports, PPT and CE. Null when it cannot be one.</summary>
    public static string? Normalize(DocumentType type, string? raw)
    {
        if (raw is null) return null;
        var s = new string(raw.Where(c => !char.IsWhiteSpace(c) && c is not '.' and not '-').ToArray()).ToUpperInvariant();
        return IsAlphanumeric(type)
            ? AlphaNum().IsMatch(s) && s.Length is >= 4 and <= 20 ? s : null
            : Digits().IsMatch(s) && s.Length is >= 3 and <= 15 ? s : null;
    }

    /// <summary>What a valid number of <paramref name="type"/> looks like, in Spanish.</summary>
    public static string Hint(DocumentType type) => IsAlphanumeric(type)
        ? "El número de documento debe tener de 4 a 20 letras o números."
        : "El número de documento debe tener solo números (3 a 15 dígitos).";

    static bool IsAlphanumeric(DocumentType type) => type is DocumentType.PA or DocumentType.PPT or DocumentType.CE;

    public override string ToString() => $"{Type} {Number}";

    [GeneratedRegex("^[0-9]+$")] private static partial Regex Digits();
    [GeneratedRegex("^[A-Z0-9]+$")] private static partial Regex AlphaNum();
}
