using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Issue 14 §6: the service dialog's call-order settings in a real browser (and its screenshot).</summary>
[Collection(BrowserCollection.Name)]
public class ServiceCallOrderTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task The_service_dialog_shows_the_call_order_settings()
    {
        var page = await SignedInAsync(server, "/admin/services", "admin@demo.turno", 1280, 1000);
        await page.Locator("tr", new() { HasText = "Caja" }).Locator("[data-action=edit-service]").First.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Orden de llamado");
        await Expect(dialog).ToContainTextAsync("Antes de la atención preferencial");
        await Expect(dialog.Locator("[data-testid=fairness-rule] input, input[data-testid=fairness-rule]").First).ToHaveValueAsync("0");
        await dialog.Locator("[data-testid=fairness-rule] input, input[data-testid=fairness-rule]").First.FillAsync("3");
        await Shot(page, "service-dialog-call-order.png");
    }
}
