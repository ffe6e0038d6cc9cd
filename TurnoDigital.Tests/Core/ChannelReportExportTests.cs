using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Reporting.Pdf;
using TurnoDigital.Tests.Support;
using UglyToad.PdfPig;

namespace TurnoDigital.Tests.Core;

/// <summary>The PDF read back with PdfPig and the CSV zip opened again.</summary>
public class ChannelReportExportTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    ChannelReportService Reports => h.Services.GetRequiredService<ChannelReportService>();
    static readonly DateOnly Day = new(2026, 11, 20);

    /// <summary>Set REPORT_PDF_OUT to a folder to keep the PDFs for a look (pdftoppm).</summary>
    static void Keep(string name, byte[] pdf)
    {
        var folder = Environment.GetEnvironmentVariable("REPORT_PDF_OUT");
        if (!string.IsNullOrEmpty(folder)) File.WriteAllBytes(Path.Combine(folder, name), pdf);
    }

    static string Text(UglyToad.PdfPig.Content.Page page) => string.Join(" ", page.GetWords().Select(w => w.Text));

    [Fact]
    public async Task Pdf_has_the_channels_totals_accents_and_page_numbers()
    {
        ChannelReportTests.Seeded s;
        await using (var db = h.Db()) s = await ChannelReportTests.SeedAsync(db);
        var report = await Reports.ComputeAsync(new ReportFilter(Day, Day, [s.BranchId], []));
        var pdf = ChannelReportPdf.Render(report);
        Keep("report-small.pdf", pdf);

        using var doc = PdfDocument.Open(pdf);
        Assert.Equal(6, doc.NumberOfPages); // cover, channels, charts, demand, one page of services, staffing
        var all = string.Join("\n", doc.GetPages().Select(Text));
        foreach (var name in new[] { "Kiosco", "WhatsApp", "Web", "Presencial", "API" }) Assert.Contains(name, all);
        foreach (var word in new[] { "Sede Centro", "America/Bogota", "Asesoría de créditos", "Satisfacción", "Miércoles", "Página 1 de 6", "Página 6 de 6" })
            Assert.Contains(word, all);
        // The channel table's total row: 9 visits, 7 … and the 13,0 min average wait (780 s).
        var channels = Text(doc.GetPage(2));
        // Service level 5 of 7 calls within target (Caja's 1200 s and 2400 s are over its 10 min), Kiosk's 2 of 4; nobody failed to arrive.
        Assert.Contains("Total 9 100,0 % 6 13,0 10,0 40,0 71,4 % 7,5", channels);
        Assert.Contains("Kiosco 6 66,7 % 3 18,8 10,0 40,0 50,0 % 4,0 25,0 % 2 0", channels);
        // The staffing page: the busiest weekday of the range (the 20th, a Friday), observed on that Friday.
        var staffing = Text(doc.GetPage(6));
        Assert.Contains("Dotación sugerida (Erlang C) — Sede Centro, viernes", staffing);
        Assert.Contains("Llegadas promedio de 1 día(s) viernes", staffing);
        Assert.Contains("Necesarios", staffing);
        Assert.Contains("→", staffing);
        // Fonts are embedded (a fresh machine draws the same glyphs).
        Assert.All(doc.GetPage(1).Letters.Select(l => l.FontName).Distinct(), f => Assert.Contains("DejaVu", f));
        Assert.Contains("FontFile2", Encoding.Latin1.GetString(pdf));
    }

    [Fact]
    public async Task Many_services_flow_over_pages_with_the_header_repeated()
    {
        int branchId;
        await using (var db = h.Db())
        {
            var branch = await db.Branches.SingleAsync();
            branchId = branch.Id;
            for (var i = 1; i <= 70; i++)
            {
                var service = new Service { BranchId = branchId, Name = $"Trámite número {i:00}", Prefix = $"Z{i:00}" };
                db.Services.Add(service);
                await db.SaveChangesAsync();
                var at = new DateTime(2026, 11, 20, 14, 0, 0, DateTimeKind.Utc).AddMinutes(i);
                db.Row<Ticket>(new
                {
                    BranchId = branchId, ServiceId = service.Id, ServiceDay = Day, Sequence = i, Number = $"Z-{i:000}", Code = $"MANY{i:000}",
                    Channel = Channel.Kiosk, Status = TicketStatus.Completed, IssuedAt = at, DueAt = at, FirstCalledAt = at.AddMinutes(i % 7),
                    StartedAt = at.AddMinutes(8), ClosedAt = at.AddMinutes(12), Rating = 1 + i % 5,
                });
            }
            db.FillKpiSeconds();
            await db.SaveChangesAsync();
        }
        var report = await Reports.ComputeAsync(new ReportFilter(Day, Day, [branchId], []));
        Assert.Equal(70, report.ByService.Count);
        var pdf = ChannelReportPdf.Render(report);
        Keep("report-many.pdf", pdf);

        using var doc = PdfDocument.Open(pdf);
        Assert.True(doc.NumberOfPages >= 7, $"{doc.NumberOfPages} pages"); // 4 + at least 3 pages for 71 rows
        var first = Text(doc.GetPage(5));
        var second = Text(doc.GetPage(6));
        Assert.Contains("Indicadores por servicio", first);
        Assert.Contains("Indicadores por servicio (continuación)", second);
        // The header is drawn again on the continuation page.
        foreach (var page in new[] { first, second })
        foreach (var header in new[] { "Servicio", "Visitas", "Atendidos", "p90", "CSAT", "vencidas" })
            Assert.Contains(header, page);
        Assert.Contains($"Página 6 de {doc.NumberOfPages}", second);
        var services = string.Join("\n", doc.GetPages().Skip(4).Select(Text));
        for (var i = 1; i <= 70; i++) Assert.Contains($"Trámite número {i:00}", services);
        Assert.Contains("Total 70 100,0 %", services);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("+57 300", "'+57 300")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("-12,5", "-12,5")]
    [InlineData("Sede Centro", "Sede Centro")]
    public void Csv_cells_that_a_spreadsheet_would_run_as_a_formula_get_a_quote_mark(string cell, string written) =>
        Assert.Equal(written, ChannelReportCsv.Cell(cell));

    [Fact]
    public async Task Csv_zip_has_one_file_per_table_with_headers_bom_and_accents()
    {
        ChannelReportTests.Seeded s;
        await using (var db = h.Db()) s = await ChannelReportTests.SeedAsync(db);
        var report = await Reports.ComputeAsync(new ReportFilter(Day, Day, [s.BranchId], []));
        using var zip = new ZipArchive(new MemoryStream(ChannelReportCsv.Zip(report)));
        Assert.Equal(["informe.csv", "canales.csv", "servicios.csv", "recordatorios.csv", "demanda.csv", "volumen_diario.csv"], zip.Entries.Select(e => e.Name));

        string Read(string name)
        {
            using var ms = new MemoryStream();
            using (var s = zip.GetEntry(name)!.Open()) s.CopyTo(ms);
            var bytes = ms.ToArray();
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        }
        var channels = Read("canales.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("canal;visitas;participacion_pct;llamados;atendidos;abandonos;espera_prom_min;espera_p50_min;espera_p90_min;nivel_servicio_pct;"
            + "nivel_servicio_meta_pct;atencion_prom_min;no_llegaron;no_show_turnos;no_show_turnos_pct;citas_vencidas;citas_no_asistidas;no_show_citas_pct;calif_1;calif_2;calif_3;calif_4;calif_5;"
            + "calificaciones;calif_prom;csat_pct;respuesta_pct", channels[0]);
        Assert.Equal(7, channels.Length); // header, 5 channels, total
        // Service level: 300 s and 600 s of 300, 600, 1200, 2400 within Caja's 10 min; a channel row has no goal of its own.
        Assert.Equal("Kiosco;6;66,7;4;3;2;18,8;10,0;40,0;50,0;;4,0;0;1;25,0;0;0;;0;1;0;1;1;3;3,67;66,7;100,0", channels[1]);
        Assert.StartsWith("Total;9;100,0;7;6;", channels[6]);
        Assert.All(channels, l => Assert.Equal(27, l.Split(';').Length));

        Assert.Contains("Asesoría de créditos;1;", Read("servicios.csv"));
        Assert.Contains("Viernes;23:00;00:00;1", Read("demanda.csv"));
        Assert.Contains("con_recordatorio_entregado;3;1;33,3", Read("recordatorios.csv"));
        Assert.Contains("2026-11-20;2026-11-20T00:00:00-05:00;6;3;0;0;0;9", Read("volumen_diario.csv"));
        Assert.Matches(@"generado;2026-11-25T10:00:00-05:00", Read("informe.csv"));
    }
}
