using System.Globalization;

namespace TurnoDigital.Core.Reporting;

/// <summary>One way to write the report's numbers (es-CO: decimal comma), shared by the page, the PDF and the CSV.</summary>
public static class ReportFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("es-CO");

    /// <summary>Seconds → minutes with one decimal; "–" when there is nothing to average.</summary>
    public static string Minutes(double? seconds) => seconds is null ? "–" : (seconds.Value / 60).ToString("0.0", Culture);

    public static string Percent(double? ratio) => ratio is null ? "–" : (ratio.Value * 100).ToString("0.0", Culture) + " %";

    public static string Rating(double? avg) => avg is null ? "–" : avg.Value.ToString("0.00", Culture);

    public static string Count(int n) => n.ToString("#,0", Culture);

    public static string Decimal(double v) => v.ToString("0.0", Culture);

    public static string Period(ReportFilter f) => f.From == f.To
        ? f.From.ToString("dddd d 'de' MMMM 'de' yyyy", Culture)
        : $"{f.From.ToString("d 'de' MMMM 'de' yyyy", Culture)} – {f.To.ToString("d 'de' MMMM 'de' yyyy", Culture)}";

    /// <summary>ISO 8601 with the offset, as exports carry every time.</summary>
    public static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Hour(int h) => $"{h:00}:00–{(h + 1) % 24:00}:00";
}
