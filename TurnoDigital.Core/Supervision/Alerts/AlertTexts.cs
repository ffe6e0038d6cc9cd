using System.Globalization;
using System.Resources;
using System.Text.Json;

namespace TurnoDigital.Core.Supervision.Alerts;

/// <summary>An alert's title and text in a culture (Spanish by default, <c>Resources/AlertTexts.en.resx</c> for English).</summary>
public static class AlertTexts
{
    static readonly ResourceManager Resources = new("TurnoDigital.Core.Resources.AlertTexts", typeof(AlertTexts).Assembly);

    public static string Text(string key, CultureInfo culture, params object?[] args)
    {
        var format = Resources.GetString(key, culture) ?? key;
        return args.Length == 0 ? format : string.Format(culture, format, args);
    }

    public static string Title(AlertCondition c, CultureInfo culture) => Text(c switch
    {
        AlertCondition.WhatsAppSilence => "Alert.WhatsAppSilence.Title",
        AlertCondition.OutboundFailures => "Alert.OutboundFailures.Title",
        AlertCondition.TemplateProblem => "Alert.TemplateProblem.Title",
        AlertCondition.ForgedWebhooks => "Alert.ForgedWebhooks.Title",
        AlertCondition.DeviceOffline => "Alert.DeviceOffline.Title",
        _ => "Alert.ApiErrors.Title",
    }, culture);

    public static string Describe(AlertCondition c, string detail, CultureInfo culture) => Text(c switch
    {
        AlertCondition.WhatsAppSilence => "Alert.WhatsAppSilence",
        AlertCondition.OutboundFailures => "Alert.OutboundFailures",
        AlertCondition.TemplateProblem => "Alert.TemplateProblem",
        AlertCondition.ForgedWebhooks => "Alert.ForgedWebhooks",
        AlertCondition.DeviceOffline => "Alert.DeviceOffline",
        _ => "Alert.ApiErrors",
    }, culture, Args(detail));

    public static string Detail(params object[] args) => JsonSerializer.Serialize(args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)));

    static object?[] Args(string detail)
    {
        try { return JsonSerializer.Deserialize<string?[]>(detail) ?? []; }
        catch (JsonException) { return []; }
    }
}
