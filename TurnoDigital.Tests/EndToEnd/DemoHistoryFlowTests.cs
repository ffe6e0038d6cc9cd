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

    [Fact]
    public async Task The_first_start_shows_a_full_panel_and_a_non_empty_channel_report()
    {
        var page = await SignedInAsync(server, "/supervisor", "supervisor@demo.turno");
        await Expect(page.Locator("[data-kpi=visitors-total]")).Not.ToHaveTextAsync("0");
        Assert.True(Number(await page.Locator("[data-kpi=visitors-total]").TextContentAsync()) > 10);
        Assert.True(Number(await page.Locator("[data-kpi=waiting-total]").TextContentAsync()) > 0, "a few people waiting");
        Assert.Matches(@"\d", await page.Locator("[data-kpi=wait-total]").TextContentAsync());
        await Shot(page, "supervisor-panel-demo.png");

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
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "turno-demo-report.pdf"), bytes);
    }
}
