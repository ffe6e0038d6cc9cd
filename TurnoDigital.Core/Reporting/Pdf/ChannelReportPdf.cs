using ScottPlot;
using SkiaSharp;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Reporting.Pdf;

/// <summary>
/// Draws a computed <see cref="ChannelReport"/> as an A4 landscape PDF: cover, channel KPIs, charts, demand and the
/// per-service table over as many pages as it needs. Text is real text in the embedded DejaVu fonts; charts are ScottPlot
/// drawn on the same canvas, so they stay vectors. Pages are laid out first and drawn after, so each footer knows the page count.
/// </summary>
public static class ChannelReportPdf
{
    const float W = 842, H = 595, M = 36, ContentTop = 64, ContentBottom = H - 40;
    static readonly SKColor[] ChannelColors = [new(0x0b, 0x4f, 0x8a), new(0x25, 0xa2, 0x4f), new(0xe0, 0x8a, 0x12), new(0x8e, 0x44, 0xad), new(0x6b, 0x72, 0x80)];
    static readonly SKColor[] RatingColors = [new(0xc0, 0x39, 0x2b), new(0xe6, 0x7e, 0x22), new(0xf1, 0xc4, 0x0f), new(0x7d, 0xc0, 0x5a), new(0x1e, 0x8e, 0x3e)];

    public static byte[] Render(ChannelReport report)
    {
        using var output = new MemoryStream();
        Write(report, output);
        return output.ToArray();
    }

    public static void Write(ChannelReport report, Stream output)
    {
        PdfFonts.RegisterWithScottPlot();
        var pages = new List<Action<PdfPainter>>
        {
            p => Cover(p, report),
            p => ChannelPage(p, report),
            p => ChartsPage(p, report),
            p => DemandPage(p, report),
        };
        var rowsPerPage = (int)((ContentBottom - ContentTop - 28 - PdfPainter.HeaderHeight) / PdfPainter.RowHeight);
        var services = report.ByService.Append(report.Total).ToList();
        for (var start = 0; start < services.Count; start += rowsPerPage)
        {
            var chunk = services.Skip(start).Take(rowsPerPage).ToList();
            var first = start == 0;
            pages.Add(p => ServicePage(p, chunk, first));
        }
        foreach (var f in report.Staffing) pages.Add(p => StaffingPage(p, f));

        using var stream = new SKManagedWStream(output);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"Informe de canales — {string.Join(", ", report.Branches.Select(b => b.Name))}",
            Author = "Turno Digital", Creator = "Turno Digital", Producer = "Turno Digital (SkiaSharp)",
            Subject = ReportFormat.Period(report.Filter),
            Creation = report.GeneratedAt.UtcDateTime, Modified = report.GeneratedAt.UtcDateTime,
            RasterDpi = 150,
        };
        using var document = SKDocument.CreatePdf(stream, metadata);
        for (var i = 0; i < pages.Count; i++)
        {
            var canvas = document.BeginPage(W, H);
            var painter = new PdfPainter(canvas);
            if (i > 0) PageHeader(painter, report);
            pages[i](painter);
            Footer(painter, report, i + 1, pages.Count);
            document.EndPage();
        }
        document.Close();
    }

    static string BranchNames(ChannelReport r) => string.Join(", ", r.Branches.Select(b => b.Name));

    static void PageHeader(PdfPainter p, ChannelReport r)
    {
        p.Text("Informe de canales", M, 32, 9, bold: true, PdfPainter.Accent);
        p.Text(PdfPainter.Fit($"{BranchNames(r)} · {ReportFormat.Period(r.Filter)}", 520, 9), W - M, 32, 9, color: PdfPainter.Muted, align: SKTextAlign.Right);
        p.HLine(M, W - M, 40, PdfPainter.Accent, 1);
    }

    static void Footer(PdfPainter p, ChannelReport r, int page, int total)
    {
        p.HLine(M, W - M, H - 28);
        p.Text($"Generado el {r.GeneratedAt.ToString("yyyy-MM-dd HH:mm zzz", ReportFormat.Culture)} · Turno Digital", M, H - 16, 7.5f, color: PdfPainter.Muted);
        p.Text($"Página {page} de {total}", W - M, H - 16, 7.5f, color: PdfPainter.Muted, align: SKTextAlign.Right);
    }

    static float Title(PdfPainter p, string text, float y)
    {
        p.Text(text, M, y + 14, 12, bold: true);
        return y + 22;
    }

    // ---- Cover ----

    static void Cover(PdfPainter p, ChannelReport r)
    {
        p.Rect(0, 0, W, 150, PdfPainter.Accent);
        p.Text("Turno Digital", M, 52, 12, color: new SKColor(0xcf, 0xe3, 0xf5));
        p.Text("Informe de canales de atención", M, 92, 26, bold: true, SKColors.White);
        p.Text("Volumen, espera, inasistencia y satisfacción por canal y por servicio", M, 120, 12, color: SKColors.White);

        var y = 190f;
        void Line(string label, string value)
        {
            p.Text(label, M, y, 11, bold: true, PdfPainter.Muted);
            p.Text(PdfPainter.Fit(value, W - M - 190, 11), 190, y, 11);
            y += 22;
        }
        Line("Sedes", BranchNames(r));
        Line("Periodo", ReportFormat.Period(r.Filter) + $" ({r.Filter.Days} {(r.Filter.Days == 1 ? "día" : "días")})");
        Line("Zona horaria", r.TimeZoneNote);
        Line("Servicios", r.ServiceNames.Count == 0 ? "Todos" : string.Join(", ", r.ServiceNames));
        Line("Percentiles", r.PercentileNote);
        Line("Generado", r.GeneratedAt.ToString("dddd d 'de' MMMM 'de' yyyy, HH:mm (zzz)", ReportFormat.Culture));

        y += 12;
        var t = r.Total;
        (string Label, string Value)[] boxes =
        [
            ("Visitas", ReportFormat.Count(t.Visits)),
            ("Atendidos", ReportFormat.Count(t.Served)),
            ("Espera promedio (min)", ReportFormat.Minutes(t.WaitAvgSeconds)),
            ("Espera p90 (min)", ReportFormat.Minutes(t.WaitP90Seconds)),
            ("Inasistencia a citas", ReportFormat.Percent(t.AppointmentNoShowRate)),
            ("CSAT (4–5)", ReportFormat.Percent(t.Csat)),
        ];
        var bw = (W - 2 * M - 5 * 10) / 6;
        for (var i = 0; i < boxes.Length; i++)
        {
            var x = M + i * (bw + 10);
            p.Rect(x, y, bw, 64, PdfPainter.Zebra);
            p.Rect(x, y, 3, 64, PdfPainter.Accent);
            p.Text(boxes[i].Value, x + 12, y + 32, 18, bold: true);
            p.Text(boxes[i].Label, x + 12, y + 52, 8.5f, color: PdfPainter.Muted);
        }
        y += 96;
        string[] notes =
        [
            "Canal: donde empezó la visita; las citas cuentan en el canal en que se agendaron, los turnos sin cita en el de su emisión.",
            "Espera: primer llamado − emisión (en citas, − la hora posterior entre llegada e inicio de la cita). p50 y p90 por rango más cercano sobre los turnos del periodo.",
            "Nivel de servicio: llamados dentro de la espera objetivo de su servicio ÷ llamados (un traslado cuenta en cada servicio).",
            "No llegaron: turnos remotos cuyo titular nunca llegó a la sede; no son visitas ni abandonos (sin llamar).",
            "Inasistencia de turnos: no presentados ÷ llamados. De citas: no asistidas ÷ citas vencidas (sin canceladas).",
            "CSAT: calificaciones de 4 y 5 ÷ calificaciones. Respuesta: calificaciones ÷ atendidos. Horas y días en la zona horaria de cada sede.",
        ];
        foreach (var note in notes)
        {
            p.Text(note, M, y, 8.5f, color: PdfPainter.Muted);
            y += 14;
        }
    }

    // ---- Channels ----

    const float LabelWidth = 100;

    /// <summary>
    /// The label column and 15 figure columns across the printable width (ratings' count and response rate are in the satisfaction
    /// table and the CSV, to make room for the service level and the not arrived): each as wide as its header's longest word (headers wrap
    /// between words only) or its widest figure needs, the space left shared equally.
    /// </summary>
    static readonly PdfColumn[] KpiColumns = FigureColumns(
    [
        "Visitas", "% del total", "Atendidos", "Espera prom. (min)", "Espera p50 (min)", "Espera p90 (min)", "Nivel de servicio",
        "Atención prom. (min)", "No-show turnos", "Sin llamar", "No llegaron", "Citas vencidas", "No-show citas", "Calif. prom.", "CSAT",
    ]);

    static PdfColumn[] FigureColumns(string[] headers)
    {
        var value = PdfPainter.Width("100,0 %", PdfPainter.FontSize, bold: true); // the widest figure, in the bold total row
        var needed = headers.Select(h => Math.Max(value, h.Split(' ').Max(w => PdfPainter.Width(w, PdfPainter.HeaderFontSize, bold: true))) + 2 * PdfPainter.Pad + 1).ToArray();
        var room = W - 2 * M - LabelWidth;
        var (scale, spare) = (Math.Min(1, room / needed.Sum()), Math.Max(0, (room - needed.Sum()) / headers.Length)); // never past the margin
        return [new("Canal", LabelWidth, Right: false), .. headers.Select((h, i) => new PdfColumn(h, needed[i] * scale + spare))];
    }

    static string[] KpiCells(KpiRow k) =>
    [
        k.Label, ReportFormat.Count(k.Visits), ReportFormat.Percent(k.Share), ReportFormat.Count(k.Served), ReportFormat.Minutes(k.WaitAvgSeconds),
        ReportFormat.Minutes(k.WaitP50Seconds), ReportFormat.Minutes(k.WaitP90Seconds), ReportFormat.Percent(k.ServiceLevel),
        ReportFormat.Minutes(k.ServiceAvgSeconds), ReportFormat.Percent(k.TicketNoShowRate), ReportFormat.Count(k.WalkOuts), ReportFormat.Count(k.NotArrived),
        ReportFormat.Count(k.AppointmentsDue), ReportFormat.Percent(k.AppointmentNoShowRate),
        ReportFormat.Rating(k.RatingAvg), ReportFormat.Percent(k.Csat),
    ];

    static float Table(PdfPainter p, float y, IReadOnlyList<PdfColumn> columns, IEnumerable<string[]> rows, string[]? totals = null)
    {
        p.TableHeader(M, y, columns);
        y += PdfPainter.HeaderHeight;
        var i = 0;
        foreach (var row in rows) { p.TableRow(M, y, columns, row, i++ % 2 == 1); y += PdfPainter.RowHeight; }
        if (totals is not null) { p.TableRow(M, y, columns, totals, false, bold: true); y += PdfPainter.RowHeight; }
        return y;
    }

    static void ChannelPage(PdfPainter p, ChannelReport r)
    {
        var y = Title(p, "Indicadores por canal", ContentTop - 6);
        y = Table(p, y, KpiColumns, r.ByChannel.Select(KpiCells), KpiCells(r.Total));

        y = Title(p, "Satisfacción por canal", y + 16);
        PdfColumn[] sat = [new("Canal", 110, Right: false), new("1", 44), new("2", 44), new("3", 44), new("4", 44), new("5", 44),
            new("Calificaciones", 70), new("Promedio", 56), new("CSAT (4–5)", 56), new("Respuesta", 56)];
        string[] SatCells(KpiRow k) => [k.Label, .. k.RatingCounts.Select(ReportFormat.Count), ReportFormat.Count(k.Ratings), ReportFormat.Rating(k.RatingAvg),
            ReportFormat.Percent(k.Csat), ReportFormat.Percent(k.ResponseRate)];
        y = Table(p, y, sat, r.ByChannel.Select(SatCells), SatCells(r.Total));

        y = Title(p, "Efecto de los recordatorios en la inasistencia a citas", y + 16);
        PdfColumn[] rem = [new("Citas", 230, Right: false), new("Citas vencidas", 80), new("No asistidas", 80), new("Inasistencia", 80)];
        var e = r.Reminders;
        Table(p, y, rem,
        [
            ["Con al menos un recordatorio entregado", ReportFormat.Count(e.DueWithReminder), ReportFormat.Count(e.NoShowsWithReminder), ReportFormat.Percent(e.RateWithReminder)],
            ["Sin recordatorio entregado", ReportFormat.Count(e.DueWithout), ReportFormat.Count(e.NoShowsWithout), ReportFormat.Percent(e.RateWithout)],
        ]);
    }

    // ---- Charts ----

    static ScottPlot.Color C(SKColor c) => new(c.Red, c.Green, c.Blue);

    static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(PdfFonts.Family);
        plot.Legend.SetBestFontOnEachRender = false;
        plot.Legend.FontName = PdfFonts.Family;
        plot.Title(title, size: 13);
        plot.YLabel(yLabel, size: 11);
        plot.Axes.Title.Label.FontName = PdfFonts.Family;
        plot.Axes.Left.Label.FontName = PdfFonts.Family;
        plot.Axes.Bottom.TickLabelStyle.FontName = PdfFonts.Family;
        plot.Axes.Left.TickLabelStyle.FontName = PdfFonts.Family;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 9;
        plot.Axes.Left.TickLabelStyle.FontSize = 9;
        plot.Legend.FontSize = 9;
        plot.Grid.MajorLineColor = C(PdfPainter.Line).WithAlpha(160);
        return plot;
    }

    static void Draw(PdfPainter p, Plot plot, float x, float y, float w, float h)
    {
        p.Canvas.Save();
        p.Canvas.ClipRect(new SKRect(x, y, x + w, y + h));
        plot.Render(p.Canvas, new PixelRect(x, x + w, y + h, y));
        p.Canvas.Restore();
    }

    static void ChartsPage(PdfPainter p, ChannelReport r)
    {
        Title(p, "Gráficos", ContentTop - 6);
        Draw(p, VolumeChart(r), M, ContentTop + 20, W - 2 * M, 230);
        var half = (W - 2 * M - 16) / 2;
        Draw(p, WaitChart(r), M, ContentTop + 262, half, 225);
        Draw(p, SatisfactionChart(r), M + half + 16, ContentTop + 262, half, 225);
    }

    static void Legend(Plot plot, IEnumerable<(string Label, SKColor Color)> items)
    {
        foreach (var (label, color) in items)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = C(color), LineWidth = 0, MarkerShape = MarkerShape.None });
        plot.ShowLegend(Alignment.UpperRight, Orientation.Horizontal);
    }

    /// <summary>Visits per local day, stacked by channel.</summary>
    static Plot VolumeChart(ChannelReport r)
    {
        var plot = NewPlot("Visitas por día y canal", "Visitas");
        var bars = new List<Bar>();
        for (var d = 0; d < r.Daily.Count; d++)
        {
            double stacked = 0;
            for (var c = 0; c < ChannelReport.Channels.Length; c++)
            {
                var n = r.Daily[d].PerChannel[c];
                if (n == 0) continue;
                bars.Add(new Bar { Position = d, ValueBase = stacked, Value = stacked + n, FillColor = C(ChannelColors[c]), LineWidth = 0, Size = 0.8 });
                stacked += n;
            }
        }
        plot.Add.Bars(bars);
        var step = Math.Max(1, (int)Math.Ceiling(r.Daily.Count / 16.0));
        var ticks = Enumerable.Range(0, r.Daily.Count).Where(i => i % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(i => (double)i).ToArray(), ticks.Select(i => r.Daily[i].Day.ToString("dd MMM", ReportFormat.Culture)).ToArray());
        plot.Axes.SetLimitsX(-0.6, Math.Max(r.Daily.Count - 0.4, 0.6));
        var max = r.Daily.Count == 0 ? 0 : r.Daily.Max(d => d.PerChannel.Sum());
        plot.Axes.SetLimitsY(0, Math.Max(1, max) * 1.25);
        Legend(plot, ChannelReport.Channels.Select((c, i) => (ChannelReport.ChannelName(c), ChannelColors[i])));
        return plot;
    }

    /// <summary>Average, p50 and p90 wait per channel, in minutes.</summary>
    static Plot WaitChart(ChannelReport r)
    {
        var plot = NewPlot("Espera por canal", "Minutos");
        SKColor[] colors = [new(0x0b, 0x4f, 0x8a), new(0x5d, 0x9c, 0xd6), new(0xe0, 0x8a, 0x12)];
        var bars = new List<Bar>();
        for (var c = 0; c < r.ByChannel.Count; c++)
        {
            var k = r.ByChannel[c];
            double?[] values = [k.WaitAvgSeconds, k.WaitP50Seconds, k.WaitP90Seconds];
            for (var s = 0; s < 3; s++)
                if (values[s] is { } v) bars.Add(new Bar { Position = c * 4 + s, Value = v / 60, FillColor = C(colors[s]), LineWidth = 0, Size = 0.9 });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(r.ByChannel.Select((_, c) => c * 4 + 1.0).ToArray(), r.ByChannel.Select(k => k.Label).ToArray());
        var max = bars.Count == 0 ? 1 : bars.Max(b => b.Value);
        plot.Axes.SetLimits(-1, r.ByChannel.Count * 4 - 1, 0, Math.Max(1, max) * 1.3);
        Legend(plot, [("Promedio", colors[0]), ("p50", colors[1]), ("p90", colors[2])]);
        return plot;
    }

    /// <summary>Share of each rating 1–5 per channel (stacked to 100 %).</summary>
    static Plot SatisfactionChart(ChannelReport r)
    {
        var plot = NewPlot("Satisfacción por canal", "% de calificaciones");
        var bars = new List<Bar>();
        for (var c = 0; c < r.ByChannel.Count; c++)
        {
            var k = r.ByChannel[c];
            if (k.Ratings == 0) continue;
            double stacked = 0;
            for (var s = 0; s < 5; s++)
            {
                var share = 100.0 * k.RatingCounts[s] / k.Ratings;
                if (share == 0) continue;
                bars.Add(new Bar { Position = c, ValueBase = stacked, Value = stacked + share, FillColor = C(RatingColors[s]), LineWidth = 0, Size = 0.7 });
                stacked += share;
            }
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(r.ByChannel.Select((_, c) => (double)c).ToArray(),
            r.ByChannel.Select(k => k.Ratings == 0 ? k.Label + "\n(sin calif.)" : $"{k.Label}\n{ReportFormat.Rating(k.RatingAvg)} ★").ToArray());
        plot.Axes.SetLimits(-0.6, r.ByChannel.Count - 0.4, 0, 130);
        plot.Axes.Left.SetTicks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"]);
        Legend(plot, Enumerable.Range(0, 5).Select(s => ($"{s + 1}", RatingColors[s])));
        return plot;
    }

    // ---- Demand ----

    static void DemandPage(PdfPainter p, ChannelReport r)
    {
        var y = Title(p, "Demanda por día de la semana y hora (llegadas)", ContentTop - 6);
        p.Text($"Hora local de cada sede ({r.TimeZoneNote}). Cada celda cuenta las llegadas en [hora, hora + 1).", M, y + 4, 8.5f, color: PdfPainter.Muted);
        y += 16;
        var max = Math.Max(1, r.Demand.Cast<int>().Max());
        const float labelW = 70;
        var cellW = (W - 2 * M - labelW - 50) / 24;
        const float cellH = 30;
        for (var h = 0; h < 24; h++) p.Text($"{h:00}", M + labelW + h * cellW + cellW / 2, y + 10, 7.5f, bold: true, PdfPainter.Muted, SKTextAlign.Center);
        p.Text("Total", W - M - 4, y + 10, 7.5f, bold: true, PdfPainter.Muted, SKTextAlign.Right);
        y += 16;
        for (var d = 0; d < 7; d++)
        {
            p.Text(ChannelReport.WeekdayNames[d], M, y + cellH / 2 + 3, 8.5f, bold: true);
            var rowTotal = 0;
            for (var h = 0; h < 24; h++)
            {
                var n = r.Demand[d, h];
                rowTotal += n;
                var x = M + labelW + h * cellW;
                var alpha = n == 0 ? 0 : 30 + 225 * n / max;
                p.Rect(x + 0.5f, y + 0.5f, cellW - 1, cellH - 1, n == 0 ? new SKColor(0xf6, 0xf7, 0xf9) : PdfPainter.Accent.WithAlpha((byte)alpha));
                if (n > 0)
                    p.Text(ReportFormat.Count(n), x + cellW / 2, y + cellH / 2 + 3, 6.5f, color: alpha > 140 ? SKColors.White : PdfPainter.Ink, align: SKTextAlign.Center);
            }
            p.Text(ReportFormat.Count(rowTotal), W - M - 4, y + cellH / 2 + 3, 8.5f, bold: true, align: SKTextAlign.Right);
            y += cellH;
        }
        y += 24;
        var peak = Enumerable.Range(0, 7 * 24).Select(i => (Day: i / 24, Hour: i % 24, N: r.Demand[i / 24, i % 24])).MaxBy(x => x.N);
        if (peak.N > 0)
            p.Text($"Hora de mayor demanda: {ChannelReport.WeekdayNames[peak.Day]} {ReportFormat.Hour(peak.Hour)} con {ReportFormat.Count(peak.N)} llegadas.", M, y, 10);
    }

    // ---- Services ----

    static void ServicePage(PdfPainter p, IReadOnlyList<KpiRow> rows, bool first)
    {
        var y = Title(p, first ? "Indicadores por servicio" : "Indicadores por servicio (continuación)", ContentTop - 6);
        var columns = KpiColumns.ToArray();
        columns[0] = new PdfColumn("Servicio", LabelWidth, Right: false);
        p.TableHeader(M, y, columns);
        y += PdfPainter.HeaderHeight;
        for (var i = 0; i < rows.Count; i++)
        {
            var total = rows[i].Channel is null && rows[i].ServiceId is null;
            p.TableRow(M, y, columns, KpiCells(rows[i]), !total && i % 2 == 1, bold: total);
            y += PdfPainter.RowHeight;
        }
    }

    // ---- Staffing ----

    static void StaffingPage(PdfPainter p, Supervision.StaffingForecast f)
    {
        var day = ChannelReport.WeekdayNames[((int)f.Weekday + 6) % 7];
        var y = Title(p, $"Dotación sugerida (Erlang C) — {f.BranchName}, {day.ToLowerInvariant()}", ContentTop - 6);
        var lines = new[]
        {
            $"Llegadas promedio de {f.ObservedDays.Count} día(s) {day.ToLowerInvariant()} trabajados en las últimas {f.Weeks} semanas, más las citas reservadas para el {f.ComingDay:yyyy-MM-dd}.",
            "Cada servicio es un grupo de asesores: carga = llegadas por hora × tiempo de atención; asesores = los mínimos que cumplen el nivel objetivo.",
            "No tiene en cuenta a quienes se van sin ser atendidos: sugiere un poco más de lo necesario. Cada celda: llegadas por hora → asesores necesarios.",
        };
        foreach (var line in lines) { p.Text(line, M, y + 4, 8.5f, color: PdfPainter.Muted); y += 12; }
        y += 6;
        var hours = f.Hours.Where(h => h.Needed > 0 || h.SignedIn > 0).ToList();
        if (hours.Count == 0)
        {
            p.Text("Sin llegadas ni asesores conectados ese día de la semana en las semanas observadas.", M, y + 14, 10);
            return;
        }
        var fits = (int)((ContentBottom - y - PdfPainter.HeaderHeight - 40 - 11 * f.Services.Count) / PdfPainter.RowHeight);
        var serviceW = (W - 2 * M - 70 - 2 * 90) / Math.Max(1, f.Services.Count);
        PdfColumn[] columns = [new("Hora", 70, Right: false), .. f.Services.Select(s => new PdfColumn(s.Name, serviceW)), new("Necesarios", 90), new("Conectados (prom.)", 90)];
        y = Table(p, y, columns, hours.Take(fits).Select(h => (string[])[$"{h.Hour:00}:00",
            .. h.Services.Select(c => $"{ReportFormat.Decimal(c.Arrivals)} → {c.Needed}"), ReportFormat.Count(h.Needed), ReportFormat.Decimal(h.SignedIn)]));
        y += 6;
        foreach (var s in f.Services)
        {
            y += 11;
            p.Text($"{s.Name}: {ReportFormat.Decimal(s.HandleMinutes)} min de atención{(s.HandleObserved ? "" : " (por defecto, sin datos)")}; " +
                $"{s.TargetServiceLevelPercent} % dentro de {s.TargetWaitMinutes} min.", M, y, 8, color: PdfPainter.Muted);
        }
        var shortHours = hours.Count(h => h.SignedIn + 0.05 < h.Needed);
        if (shortHours > 0) p.Text($"Horas con menos asesores conectados que los necesarios: {shortHours} de {hours.Count}.", M, y + 18, 10, bold: true);
    }
}
