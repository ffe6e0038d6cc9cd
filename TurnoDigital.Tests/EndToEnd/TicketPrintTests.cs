using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using ZXing;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>The kiosk prints on 80 mm thermal paper: checked by printing to PDF in Chromium and reading the QR back.</summary>
[Collection(BrowserCollection.Name)]
public class TicketPrintTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Printed_ticket_is_80_mm_wide_and_its_QR_opens_the_status_page()
    {
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        await kiosk.Locator("[data-service]", new() { HasText = "Caja" }).ClickAsync();
        await kiosk.ClickAsync("[data-priority=none]");
        await kiosk.ClickAsync("[data-action=skip-phone]");
        await Expect(kiosk.Locator(".ticket__number")).ToBeVisibleAsync();
        var number = (await kiosk.Locator(".ticket__number").TextContentAsync())!;

        var folder = Directory.CreateTempSubdirectory("turno-print-").FullName;
        var pdfPath = Path.Combine(folder, "ticket.pdf");
        var pdf = await kiosk.PdfAsync(new() { PreferCSSPageSize = true, Path = pdfPath });

        var box = Regex.Match(System.Text.Encoding.Latin1.GetString(pdf), @"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]");
        Assert.True(box.Success, "the PDF has a page box");
        Assert.InRange(double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture), 225, 229); // 80 mm = 226.8 pt

        // Rasterise the printed page as a printer would (203 dpi thermal heads) and decode the QR.
        using (var pdftoppm = Process.Start(new ProcessStartInfo("pdftoppm", $"-png -r 203 -singlefile \"{pdfPath}\" \"{Path.Combine(folder, "ticket")}\"")
               { RedirectStandardError = true })!)
        {
            await pdftoppm.WaitForExitAsync();
            Assert.True(pdftoppm.ExitCode == 0, await pdftoppm.StandardError.ReadToEndAsync());
        }
        using var bitmap = SKBitmap.Decode(Path.Combine(folder, "ticket.png")).Copy(SKColorType.Bgra8888);
        var result = new BarcodeReaderGeneric { Options = { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } }
            .Decode(new RGBLuminanceSource(bitmap.Bytes, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.BGRA32));
        Assert.NotNull(result);

        await using var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var code = await db.Tickets.Where(t => t.Number == number).Select(t => t.Code).SingleAsync();
        Assert.Equal($"{server.BaseUrl.TrimEnd('/')}/t/{code}", result.Text);
        File.Copy(Path.Combine(folder, "ticket.png"), LiveServer.ScreenshotPath("ticket-80mm-print.png"), overwrite: true);
    }
}
