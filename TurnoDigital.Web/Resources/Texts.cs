using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace TurnoDigital.Web.Resources;

// Marker types: IStringLocalizer<KioskText> reads Resources/KioskText.resx (es-CO, the neutral language)
// and Resources/KioskText.en.resx (English). One resource file per area of the app.

/// <summary>The kiosk's screens (their language is chosen on the kiosk, see <see cref="Localization.CultureLocalizer"/>).</summary>
public sealed class KioskText;
/// <summary>The agent desk and agent-side booking.</summary>
public sealed class DeskText;
/// <summary>Administration, device pairing and the WhatsApp simulator.</summary>
public sealed class AdminText;
/// <summary>The supervisor panel, journeys, WhatsApp channel and reports.</summary>
public sealed class SupervisorText;
/// <summary>Channel owners, the alert bell and the alerts page.</summary>
public sealed class AlertText;
/// <summary>Public pages: booking, the virtual queue, ticket status and the display board.</summary>
public sealed class PublicText;
/// <summary>Layout, sign-in, errors and components shared by several areas.</summary>
public sealed class SharedText;

/// <summary>Localizers for static helpers that cannot take an injected one; they read the current UI culture.</summary>
public static class Texts
{
    static readonly ResourceManagerStringLocalizerFactory Factory =
        new(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    public static IStringLocalizer Of<T>() => Cache<T>.Localizer;

    static class Cache<T>
    {
        public static readonly IStringLocalizer Localizer = Factory.Create(typeof(T));
    }
}
