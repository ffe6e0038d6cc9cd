using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Web.Logging;

/// <summary>
/// Logs never hold phone or document numbers, names or ticket/appointment codes: every string property of every event
/// (request paths included) is masked before a sink sees it. Properties named for personal data are hidden whole.
/// </summary>
public sealed class PersonalDataMasking : ILogEventEnricher
{
    /// <summary>Properties that only ever hold personal data or a secret code.</summary>
    static readonly HashSet<string> Personal = new(StringComparer.OrdinalIgnoreCase)
    {
        "Phone", "WaId", "From", "To", "Recipient", "Document", "DocumentNumber", "FullName", "Name", "CustomerName", "Email", "Code", "TicketCode", "AppointmentCode",
    };

    /// <summary>Correlation ids: hex that may hold long digit runs, and nothing personal.</summary>
    static readonly HashSet<string> Untouched = new(StringComparer.Ordinal)
    {
        "RequestId", "TraceId", "SpanId", "ParentId", "ConnectionId", "SourceContext", "EventId",
    };

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (Untouched.Contains(name)) continue;
            var masked = Mask(name, value);
            if (!ReferenceEquals(masked, value)) logEvent.AddOrUpdateProperty(new LogEventProperty(name, masked));
        }
    }

    static LogEventPropertyValue Mask(string name, LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } when Personal.Contains(name) => new ScalarValue(s.Length == 0 ? s : s.Any(char.IsLetter) ? "***" : LogMask.Number(s)),
        ScalarValue { Value: string s } => LogMask.Text(s) is var t && t != s ? new ScalarValue(t) : value,
        SequenceValue seq => new SequenceValue(seq.Elements.Select(e => Mask(name, e))),
        StructureValue st => new StructureValue(st.Properties.Select(p => new LogEventProperty(p.Name, Mask(p.Name, p.Value))), st.TypeTag),
        DictionaryValue d => new DictionaryValue(d.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>(kv.Key, Mask(kv.Key.Value?.ToString() ?? "", kv.Value)))),
        _ => value,
    };
}

public static class PersonalDataMaskingExtensions
{
    public static LoggerConfiguration WithPersonalDataMasking(this LoggerEnrichmentConfiguration enrich) => enrich.With<PersonalDataMasking>();
}
