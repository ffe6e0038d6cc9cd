using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Queueing;

/// <summary>The preferential-attention categories an admin may switch off (<see cref="OrganizationSettings.DisabledPreferentialReasons"/>).</summary>
public static class PreferentialReasons
{
    /// <summary>Spanish name for messages, e.g. «La atención preferencial por embarazo…».</summary>
    public static string Spanish(PreferentialReason reason) => reason switch
    {
        PreferentialReason.OlderAdult => "persona mayor",
        PreferentialReason.Pregnancy => "embarazo",
        PreferentialReason.Disability => "discapacidad",
        PreferentialReason.ChildInArms => "niño en brazos",
        PreferentialReason.Veteran => "veterano de la Fuerza Pública",
        _ => "motivo desconocido",
    };

    /// <summary>A switched-off (or unknown) category is refused at issue, whichever channel asked for it.</summary>
    public static void EnsureEnabled(OrganizationSettings settings, PreferentialReason? reason)
    {
        if (reason is { } r && !settings.IsEnabled(r))
            throw new DomainException("Preferential.NotOffered", Spanish(r));
    }
}
