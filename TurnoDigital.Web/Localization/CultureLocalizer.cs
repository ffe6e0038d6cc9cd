using System.Globalization;
using Microsoft.Extensions.Localization;

namespace TurnoDigital.Web.Localization;

/// <summary>
/// A localizer view bound to an explicit culture. The kiosk chooses its language inside its circuit and a Blazor
/// Server circuit's CurrentUICulture does not carry from one event to the next, so the kiosk cascades its
/// <see cref="CultureInfo"/> (named <see cref="CascadeName"/>) and its components read texts through this view.
/// </summary>
public sealed class CultureLocalizer(IStringLocalizer inner, CultureInfo culture) : IStringLocalizer
{
    /// <summary>The name of the cascading <see cref="CultureInfo"/> a screen with its own language provides.</summary>
    public const string CascadeName = "UiCulture";

    public CultureInfo Culture { get; } = culture;

    public LocalizedString this[string name] => In(() => inner[name]);

    public LocalizedString this[string name, params object[] arguments] => In(() => inner[name, arguments]);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => In(() => inner.GetAllStrings(includeParentCultures).ToList());

    // ResourceManagerStringLocalizer reads CurrentUICulture (lookup) and CurrentCulture (formatting): set both for the call.
    T In<T>(Func<T> read)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Culture;
        try { return read(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui); }
    }
}

public static class CultureLocalizerExtensions
{
    /// <summary>The localizer in <paramref name="culture"/>, or as is (the request's culture) when there is none.</summary>
    public static IStringLocalizer In(this IStringLocalizer localizer, CultureInfo? culture) =>
        culture is null ? localizer : new CultureLocalizer(localizer, culture);
}
