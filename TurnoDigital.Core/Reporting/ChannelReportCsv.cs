using System.Globalization;
using System.IO.Compression;
using System.Text;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Reporting;

/// <summary>
/// The report's tables as CSV, one file per table in a zip. Written for Excel in es-CO: UTF-8 with BOM (accents open
/// right), ';' between fields and a decimal comma (the regional list and decimal separators), CRLF, a header row.
/// Empty cell = nothing to compute. Percentages are numbers 0–100 without the sign; times are minutes; instants ISO 8601 with offset.
/// </summary>
public static class ChannelReportCsv
{
    public static readonly Encoding Utf8Bom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>A CSV file's bytes: the BOM, then the text.</summary>
    public static byte[] WithBom(string content) => [.. Utf8Bom.GetPreamble(), .. Utf8Bom.GetBytes(content)];
    const char Sep = ';';
    const string FormulaStart = "=+-@\t\r";

    public static readonly string[] KpiHeader =
    [
        "visitas", "participacion_pct", "llamados", "atendidos", "abandonos", "espera_prom_min", "espera_p50_min", "espera_p90_min",
        "nivel_servicio_pct", "nivel_servicio_meta_pct", "atencion_prom_min", "no_llegaron", "no_show_turnos", "no_show_turnos_pct", "citas_vencidas", "citas_no_asistidas", "no_show_citas_pct",
        "calif_1", "calif_2", "calif_3", "calif_4", "calif_5", "calificaciones", "calif_prom", "csat_pct", "respuesta_pct",
    ];

    /// <summary>File name → content, in the order they go in the zip.</summary>
    public static IReadOnlyList<(string Name, string Content)> Tables(ChannelReport r)
    {
        var zone = r.TimeZones.Count == 1 ? BranchTime.Zone(r.TimeZones[0]) : null;
        var info = Csv(["clave", "valor"],
        [
            ["informe", "Informe de canales"],
            ["sedes", string.Join(", ", r.Branches.Select(b => b.Name))],
            ["desde", r.Filter.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            ["hasta", r.Filter.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            ["zona_horaria", r.TimeZoneNote],
            ["servicios", r.ServiceNames.Count == 0 ? "Todos" : string.Join(", ", r.ServiceNames)],
            ["percentiles", r.PercentileNote],
            ["generado", ReportFormat.Iso(r.GeneratedAt)],
        ]);
        var channels = Csv(["canal", .. KpiHeader], r.ByChannel.Append(r.Total).Select(KpiCells));
        var services = Csv(["servicio", .. KpiHeader], r.ByService.Append(r.Total).Select(KpiCells));
        var e = r.Reminders;
        var reminders = Csv(["grupo", "citas_vencidas", "citas_no_asistidas", "no_show_pct"],
        [
            ["con_recordatorio_entregado", N(e.DueWithReminder), N(e.NoShowsWithReminder), Pct(e.RateWithReminder)],
            ["sin_recordatorio_entregado", N(e.DueWithout), N(e.NoShowsWithout), Pct(e.RateWithout)],
        ]);
        var demand = Csv(["dia_semana", "hora_inicio", "hora_fin", "llegadas"],
            Enumerable.Range(0, 7 * 24).Select(i => new[]
            {
                ChannelReport.WeekdayNames[i / 24], $"{i % 24:00}:00", $"{(i % 24 + 1) % 24:00}:00", N(r.Demand[i / 24, i % 24]),
            }));
        var daily = Csv(["fecha", "inicio", .. ChannelReport.Channels.Select(ChannelReport.ChannelName), "total"],
            r.Daily.Select(d => new[]
            {
                d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                zone is null ? "" : ReportFormat.Iso(new DateTimeOffset(d.Day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(d.Day.ToDateTime(TimeOnly.MinValue)))),
            }.Concat(ChannelReport.Channels.Select(c => N(d.PerChannel[(int)c]))).Append(N(d.PerChannel.Sum())).ToArray()));
        return [("informe.csv", info), ("canales.csv", channels), ("servicios.csv", services), ("recordatorios.csv", reminders),
            ("demanda.csv", demand), ("volumen_diario.csv", daily)];
    }

    public static byte[] Zip(ChannelReport r)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in Tables(r))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = r.GeneratedAt;
                using var s = entry.Open();
                var bytes = WithBom(content);
                s.Write(bytes);
            }
        }
        return output.ToArray();
    }

    static string[] KpiCells(KpiRow k) =>
    [
        k.Label, N(k.Visits), Pct(k.Share), N(k.Called), N(k.Served), N(k.WalkOuts), Min(k.WaitAvgSeconds), Min(k.WaitP50Seconds), Min(k.WaitP90Seconds),
        Pct(k.ServiceLevel), k.ServiceLevelGoalPercent is { } goal ? N(goal) : "", Min(k.ServiceAvgSeconds), N(k.NotArrived),
        N(k.TicketNoShows), Pct(k.TicketNoShowRate), N(k.AppointmentsDue), N(k.AppointmentNoShows), Pct(k.AppointmentNoShowRate),
        .. k.RatingCounts.Select(N), N(k.Ratings), Dec(k.RatingAvg, "0.00"), Pct(k.Csat), Pct(k.ResponseRate),
    ];

    static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
    static string Dec(double? v, string format) => v is null ? "" : v.Value.ToString(format, ReportFormat.Culture);
    static string Min(double? seconds) => Dec(seconds / 60, "0.0");
    static string Pct(double? ratio) => Dec(ratio * 100, "0.0");

    internal static string Csv(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        Line(sb, header);
        foreach (var row in rows) Line(sb, row);
        return sb.ToString();
    }

    static void Line(StringBuilder sb, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append(Sep);
            sb.Append(Cell(cells[i]));
        }
        sb.Append("\r\n");
    }

    /// <summary>One field as written. A leading = + - @, tab or carriage return would make a spreadsheet run it as a formula, so it gets a quote mark.</summary>
    internal static string Cell(string c)
    {
        if (c.Length > 0 && FormulaStart.Contains(c[0]) && !double.TryParse(c, NumberStyles.None | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint
                | NumberStyles.AllowExponent, ReportFormat.Culture, out _)) c = "'" + c;
        return c.IndexOfAny([Sep, '"', '\n', '\r']) >= 0 ? "\"" + c.Replace("\"", "\"\"") + "\"" : c;
    }
}
