using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Supervision.Alerts;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>
/// The channel owner's bell in Chromium: an alert the job opens appears live with its count, the alerts page acknowledges it;
/// a paired kiosk's circuit keeps its last-seen time moving.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AlertsFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    IDbContextFactory<TurnoDbContext> Db => server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>();

    [Fact]
    public async Task The_owner_sees_the_alert_in_the_bell_live_and_acknowledges_it()
    {
        var services = server.Factory.Services;
        string ownerId;
        await using (var db = await Db.CreateDbContextAsync()) ownerId = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
        var alerts = services.GetRequiredService<AlertService>();
        await alerts.SetOwnerAsync(null, AlertTarget.WhatsApp, ownerId);
        await alerts.SetOwnerAsync(null, AlertTarget.Api, ownerId);
        var tallies = services.GetRequiredService<HealthTallies>();
        for (var i = 0; i < 50; i++) await tallies.AddAsync(TallyKind.ApiError);
        await services.GetRequiredService<AlertMonitor>().CheckAsync();

        var page = await SignedInAsync(server, "/supervisor", "supervisor@demo.turno");
        var badge = page.Locator("[data-testid=alert-bell] .mud-badge");
        await Expect(badge).ToHaveTextAsync("1");

        for (var i = 0; i < 20; i++) await tallies.AddAsync(TallyKind.ForgedWebhook);
        await services.GetRequiredService<AlertMonitor>().CheckAsync();
        await Expect(badge).ToHaveTextAsync("2"); // live, no reload

        await page.Locator("[data-testid=alert-bell] button").First.ClickAsync();
        await Expect(page.Locator("[data-testid=alert-bell-item]")).ToHaveCountAsync(2);
        // The menu fades in: shoot it once opaque, not over the page behind it.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-popover-open')].some(p => getComputedStyle(p).opacity === '1')");
        await Shot(page, "alerts-bell.png");

        await page.Locator("[data-testid=alert-see-all]").ClickAsync();
        await page.WaitForURLAsync("**/alertas");
        await InteractiveAsync(page);
        await Expect(page.Locator("[data-action=acknowledge]")).ToHaveCountAsync(2);
        await page.Locator("[data-action=acknowledge]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=alert-ack]", new() { HasText = "Supervisor Demo" })).ToHaveCountAsync(1);
        await Expect(badge).ToHaveTextAsync("1");
        await Expect(page.Locator(".mud-table-pagination")).ToContainTextAsync("Filas por página:"); // in Spanish, not MudBlazor's English
        await Expect(page.Locator(".mud-table-pagination")).ToContainTextAsync("1-2 de 2");
        await Shot(page, "alerts-page.png");
    }

    [Fact]
    public async Task A_paired_kiosk_beats_over_its_circuit()
    {
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        // Ten minutes later on the app's clock: only the circuit's heartbeat (every 30 s) can bring the last-seen time up to now.
        server.Clock.Jump(TimeSpan.FromMinutes(10));
        var jumped = server.Clock.GetUtcNow().UtcDateTime;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        DateTime? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = await Db.CreateDbContextAsync())
                seen = await db.Devices.Where(d => d.Kind == DeviceKind.Kiosk).Select(d => d.LastSeenAt).SingleAsync();
            if (seen >= jumped) break;
            await kiosk.WaitForTimeoutAsync(500);
        }
        Assert.True(seen >= jumped, $"last seen {seen:O}, expected after {jumped:O}");
    }
}
