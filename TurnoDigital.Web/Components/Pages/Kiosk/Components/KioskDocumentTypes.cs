using TurnoDigital.Core.Customers;

namespace TurnoDigital.Web.Components.Pages.Kiosk.Components;

/// <summary>
/// The kiosk's document-type buttons (intake and check-in) show the abbreviation on the card with its full name under it:
/// older adults know "Cédula de ciudadanía" better than "CC".
/// </summary>
static class KioskDocumentTypes
{
    /// <summary>The resource key of the type's full name (KioskText).</summary>
    public static string NameKey(DocumentType type) => type switch
    {
        DocumentType.CC => "KioskIntakeStep.DocCC",
        DocumentType.CE => "KioskIntakeStep.DocCE",
        DocumentType.TI => "KioskIntakeStep.DocTI",
        DocumentType.PA => "KioskIntakeStep.DocPA",
        DocumentType.PPT => "KioskIntakeStep.DocPPT",
        DocumentType.NIT => "KioskIntakeStep.DocNIT",
        _ => "KioskIntakeStep.DocRC",
    };
}
