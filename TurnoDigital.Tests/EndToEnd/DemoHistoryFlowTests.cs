using System.Text.RegularExpressions;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>
/// Issue 18: the demo's first start with Demo:History on (in Development, like <c>dotnet run</c>) shows a full supervisor panel and
/// a non-empty channel report. Two past days instead of thirty keep the test short; the path is the same.
/// </summary>
[Collection(BrowserCollection.Name)]
public class DemoHistoryFlowTests(DemoHistoryFlowTests.Server server) : IClassFixture<DemoHistoryFlowTests.Server>
{
    public sealed class Server() : LiveServer(new Dictionary<string, string>
    {
        ["Demo:Seed"] = "true", ["Demo:History"] = "true", ["Demo:HistoryDays"] = "2",
        ["Demo:Password"] = TurnoWebFactory.Password, ["Demo:KioskPairingCode"] = TurnoWebFactory.KioskCode,
        ["Demo:DisplayPairingCode"] = TurnoWebFactory.DisplayCode, ["Demo:ApiKey"] = TurnoWebFactory.ApiKey,
    }, "Development");

    static int Number(string? text) => int.Parse(Regex.Match(text ?? "", @"\d+").Value);

    /// <summary>The README's supervisor screenshots come from this seeded demo (docs/screenshots/demo/, kept in git).</summary>
    static string DemoShotPath(string name)
    {
        var path = LiveServer.ScreenshotPath(Path.Combine("demo", name));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    static Task DemoShot(Microsoft.Playwright.IPage page, string name) => page.ScreenshotAsync(new() { Path = DemoShotPath(name), FullPage = true });

    [Fact]
    public async Task The_first_start_shows_a_full_panel_and_a_non_empty_channel_report()
    {
        var page = await SignedInAsync(server, "/supervisor", "supervisor@demo.turno");
        await Expect(page.Locator("[data-kpi=visitors-total]")).Not.ToHaveTextAsync("0");
        Assert.True(Number(await page.Locator("[data-kpi=visitors-total]").TextContentAsync()) > 10);
        Assert.True(Number(await page.Locator("[data-kpi=waiting-total]").TextContentAsync()) > 0, "a few people waiting");
        Assert.Matches(@"\d", await page.Locator("[data-kpi=wait-total]").TextContentAsync());
        await DemoShot(page, "supervisor-panel.png");

        var today = server.Factory.Today;
        var query = $"/supervisor/reports/export?from={today.AddDays(-2):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var csv = await page.Context.APIRequest.GetAsync(query + "&format=csv");
        Assert.Equal(200, csv.Status);
        // The staff export gives every table as CSV in a zip; canales.csv is the channel table.
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await csv.BodyAsync()));
        using var reader = new StreamReader(zip.GetEntry("canales.csv")!.Open());
        var text = await reader.ReadToEndAsync();
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // One row per channel and the total: visits (the first figure) over the channels and in total.
        Assert.Equal(7, rows.Length);
        Assert.True(Number(rows[^1].Split(';')[1]) > 10, text);
        Assert.True(rows[1..^1].Count(r => Number(r.Split(';')[1]) > 0) >= 3, text);
        var pdf = await page.Context.APIRequest.GetAsync(query + "&format=pdf");
        Assert.Equal(200, pdf.Status);
        var bytes = await pdf.BodyAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        var pdfPath = Path.Combine(Path.GetTempPath(), $"turno-demo-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(pdfPath, bytes);
        // The report's first page as the README shows it, where poppler's pdftoppm is installed.
        if (File.Exists("/usr/bin/pdftoppm"))
        {
            using var render = System.Diagnostics.Process.Start("/usr/bin/pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdfPath,
                DemoShotPath("channel-report-page-1.png")[..^4]])!;
            await render.WaitForExitAsync();
            Assert.Equal(0, render.ExitCode);
        }

        // The staffing page has the month behind it, the WhatsApp view today's messages, the featured person a journey.
        await page.GotoAsync("/supervisor/staffing");
        await InteractiveAsync(page);
        // Monday: one of the two past days (the page opens on tomorrow's weekday, which this short history has not seen).
        await page.ClickAsync("[data-testid=weekday]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "lunes" }).ClickAsync();
        await Expect(page.Locator("[data-testid=staffing-chart]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=staffing-no-history]")).ToHaveCountAsync(0);
        await DemoShot(page, "supervisor-staffing.png");

        await page.GotoAsync("/supervisor/whatsapp");
        await InteractiveAsync(page);
        await Expect(page.Locator("[data-kpi=outbound]")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-testid=failures] .mud-table-loading-progress")).ToHaveCountAsync(0);
        await DemoShot(page, "supervisor-whatsapp.png");

        await page.GotoAsync("/supervisor/journey");
        await InteractiveAsync(page);
        await page.Locator("input[data-testid=journey-query], [data-testid=journey-query] input").First.FillAsync(TurnoDigital.Core.Demo.DemoPeople.FeaturedDocument);
        await page.ClickAsync("[data-action=search]");
        await Expect(page.Locator("[data-testid=journey-timeline] tbody tr").First).ToBeVisibleAsync();
        await DemoShot(page, "supervisor-journey.png");
    }
}
