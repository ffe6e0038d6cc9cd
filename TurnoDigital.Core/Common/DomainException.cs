using System.Globalization;
using System.Resources;

namespace TurnoDigital.Core.Common;

/// <summary>
/// An illegal move in the domain, as a code (a key of <c>Resources/DomainErrors.resx</c>) and format arguments.
/// <see cref="Message"/> is the text in the current UI culture (Spanish by default); screens with their own
/// language (the kiosk) ask <see cref="MessageFor"/>.
/// </summary>
public class DomainException(string code, params object?[] args) : Exception(code)
{
    public string Code { get; } = code;
    public IReadOnlyList<object?> Args { get; } = args;

    public override string Message => MessageFor(CultureInfo.CurrentUICulture);

    public string MessageFor(CultureInfo culture) => DomainErrors.Text(Code, culture, [.. Args]);
}

/// <summary>The row changed since the user last saw it (another agent, another tab).</summary>
public sealed class StaleStateException(string code, params object?[] args) : DomainException(code, args);

/// <summary>The domain-error texts: es-CO in the neutral resources, English in <c>DomainErrors.en.resx</c>.</summary>
public static class DomainErrors
{
    public static readonly ResourceManager Resources = new("TurnoDigital.Core.Resources.DomainErrors", typeof(DomainErrors).Assembly);

    /// <summary>The text for <paramref name="code"/> in <paramref name="culture"/>; an unknown code comes back as is.</summary>
    public static string Text(string code, CultureInfo culture, params object?[] args)
    {
        var format = Resources.GetString(code, culture) ?? code;
        return args.Length == 0 ? format : string.Format(culture, format, args);
    }
}
