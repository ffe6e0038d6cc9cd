using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Customers;

/// <summary>
/// The contact given for one appointment or ticket: its messages go to this phone, with this consent. A later visit with the
/// same document never changes it (a phone proves possession of that number only; a document proves nothing).
/// </summary>
public sealed record ContactDetails(PhoneNumber? Phone, string? Name, EmailAddress? Email, bool WhatsAppOptIn)
{
    public static readonly ContactDetails None = new(null, null, null, false);
}

/// <summary>The version of the consent text each channel shows; every consent record names the one actually shown.</summary>
public static class ConsentTexts
{
    public const string Web = "web-2026-12", WhatsApp = "whatsapp-2026-12", Kiosk = "kiosk-2026-12", Api = "api-2026-12", Desk = "desk-2026-12";

    public static string Version(Channel channel) => channel switch
    {
        Channel.Web => Web,
        Channel.WhatsApp => WhatsApp,
        Channel.Kiosk => Kiosk,
        Channel.Api => Api,
        _ => Desk,
    };
}
