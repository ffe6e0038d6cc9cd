namespace TurnoDigital.Core.WhatsApp;

/// <summary>The texts and utility-template names each message kind starts with; admins override them in <see cref="MessageText"/> rows.</summary>
public static class MessageTextDefaults
{
    /// <summary>Template name registered in Meta's manager, e.g. "turno_reminder_day_before".</summary>
    public static string TemplateName(MessageKind kind) =>
        "turno_" + string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public const string TemplateLanguage = "es";
}
