using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Tests.Core;
using TurnoDigital.Web.Components.Pages.Supervisor;

namespace TurnoDigital.Tests.Components;

public class ReportsPageTests : ComponentTestBase
{
    [Fact]
    public async Task Shows_the_channel_table_and_download_links_and_a_spanish_error_for_a_reversed_range()
    {
        await using (var db = H.Db()) await ChannelReportTests.SeedAsync(db);
        Services.AddSingleton(H.Services.GetRequiredService<ChannelReportService>());
        Services.AddSingleton(H.Services.GetRequiredService<ReportArchive>());
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@demo.turno");
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin-id"));

        var cut = Render<Reports>();
        await cut.WaitForAssertionAsync(() => Assert.Contains("Sede Centro", cut.Markup));
        // The harness clock is 2026-11-25, so the default week (19–25) holds the seeded 20th and 21st: Kiosk K1–K7, 10 visits in all.
        await cut.Find("[data-action=compute]").ClickAsync(new());
        await cut.WaitForElementAsync("[data-testid=channel-table]", TimeSpan.FromSeconds(15));
        var table = cut.Find("[data-testid=channel-table]").TextContent;
        Assert.Contains("Kiosco", table);
        Assert.Contains("16,0", table);   // Kiosk average wait: (300+600+1200+2400+300)/5 s
        Assert.Contains("70,0 %", table); // Kiosk share 7/10
        Assert.Contains("format=pdf", cut.Find("[data-testid=download-pdf]").GetAttribute("href"));
        Assert.Contains("format=csv", cut.Find("[data-testid=download-csv]").GetAttribute("href"));
        Assert.Contains("33,3 %", cut.Find("[data-testid=reminder-table]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=report-error]"));

        // A reversed range ("from" the 26th, "to" the 25th) gets the Spanish message instead of a table.
        var from = cut.FindComponents<MudDatePicker>()[0];
        await cut.InvokeAsync(() => from.Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 26)));
        await cut.Find("[data-action=compute]").ClickAsync(new());
        await cut.WaitForElementAsync("[data-testid=report-error]");
        Assert.Contains("La fecha inicial es posterior a la final.", cut.Find("[data-testid=report-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=channel-table]"));
    }
}
