using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>Every screen of the app under the real CSP in Chromium: no violation reported, the circuit connects, the JS buttons work.</summary>
[Collection(BrowserCollection.Name)]
public class ContentSecurityPolicyTests(LiveServer server) : IClassFixture<LiveServer>
{
    const string ViolationRecorder = """
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    async Task<IPage> PageAsync(int width = 1280, int height = 900)
    {
        var page = await server.NewPageAsync(width, height);
        await page.AddInitScriptAsync(ViolationRecorder);
        return page;
    }

    static async Task NoViolationsAsync(IPage page) =>
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));

    enum Caller { Anonymous, Agent, Admin, Kiosk, Display }

    /// <summary>Who opens each screen of the app; a screen missing here fails the test, so new screens are checked too.</summary>
    static readonly Dictionary<string, Caller> Visitors = new()
    {
        ["/account/login"] = Caller.Anonymous, ["/account/access-denied"] = Caller.Anonymous, ["/pair/{Screen}"] = Caller.Anonymous,
        ["/book"] = Caller.Anonymous, ["/t/{Code}"] = Caller.Anonymous, ["/fila/{BranchId:int}"] = Caller.Anonymous,
        ["/cita/{Code}"] = Caller.Anonymous, ["/not-found"] = Caller.Anonymous, ["/error"] = Caller.Anonymous,
        ["/"] = Caller.Agent, ["/desk"] = Caller.Agent, ["/citas/nueva"] = Caller.Agent,
        ["/supervisor"] = Caller.Admin, ["/supervisor/journey"] = Caller.Admin, ["/supervisor/reports"] = Caller.Admin,
        ["/supervisor/whatsapp"] = Caller.Admin, ["/supervisor/staffing"] = Caller.Admin, ["/simulator/whatsapp"] = Caller.Admin,
        ["/admin/branches"] = Caller.Admin, ["/admin/services"] = Caller.Admin, ["/admin/counters"] = Caller.Admin,
        ["/admin/devices"] = Caller.Admin, ["/admin/api-keys"] = Caller.Admin, ["/admin/users"] = Caller.Admin,
        ["/admin/personas"] = Caller.Admin, ["/admin/audit"] = Caller.Admin, ["/admin/settings"] = Caller.Admin,
        ["/admin/mensajes"] = Caller.Admin, ["/admin/alertas"] = Caller.Admin, ["/alertas"] = Caller.Admin,
        ["/kiosk"] = Caller.Kiosk, ["/display"] = Caller.Display,
    };

    /// <summary>The app's Razor pages from its own route table, and whether each runs interactively (a circuit) or as static SSR.</summary>
    List<(string Route, bool Interactive)> AppScreens() =>
        server.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => ("/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), e.Metadata.GetMetadata<ExcludeFromInteractiveRoutingAttribute>() is null))
            .Distinct().OrderBy(r => r.Item1).ToList();

    [Fact]
    public async Task Every_screen_runs_without_violations()
    {
        var services = server.Factory.Services;
        int branchId, cajaId, asesoriaId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var all = await db.Services.AsNoTracking().ToListAsync();
            (branchId, cajaId, asesoriaId) = (all[0].BranchId, all.Single(s => s.Name == "Caja").Id, all.Single(s => s.Name == "Asesoría de créditos").Id);
        }
        var ticket = await services.GetRequiredService<QueueService>().IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));
        var slot = (await services.GetRequiredService<AvailabilityService>().GetSlotsAsync(branchId, asesoriaId, server.Factory.Today.AddDays(1))).First(s => s.Free > 0);
        var appointment = await services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(branchId, asesoriaId, slot.StartUtc, Channel.Web,
            new IntakeInput(DocumentType.CC, "52333444", "Lina Mora", "3001239876", "lina@example.com"), Guid.NewGuid(), DataPolicyAccepted: true));

        var screens = AppScreens();
        Assert.Empty(screens.Select(s => s.Route).Except(Visitors.Keys)); // every screen has a visitor…
        Assert.Empty(Visitors.Keys.Except(screens.Select(s => s.Route))); // …and every visitor a screen
        Assert.True(screens.Count >= 29, $"Only {screens.Count} screens found");

        var pages = new Dictionary<Caller, IPage>();
        foreach (var (route, interactive) in screens)
        {
            var caller = Visitors[route];
            var path = route.Replace("{Screen}", "kiosk").Replace("{BranchId:int}", branchId.ToString(CultureInfo.InvariantCulture))
                .Replace("/t/{Code}", $"/t/{ticket.Code}").Replace("/cita/{Code}", $"/cita/{appointment.Code}");
            if (!pages.TryGetValue(caller, out var page)) pages[caller] = page = await CallerPageAsync(caller);
            await page.GotoAsync(path);
            Assert.Equal(path, new Uri(page.Url).AbsolutePath); // the screen itself, not a login or access-denied redirect
            if (interactive) await InteractiveAsync(page);
            else await page.WaitForLoadStateAsync(LoadState.Load);
            var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
            Assert.True(violations.Length == 0, $"{path}: {string.Join(", ", violations)}");
        }
    }

    async Task<IPage> CallerPageAsync(Caller caller)
    {
        var page = await PageAsync(caller is Caller.Kiosk ? 1080 : 1280, caller is Caller.Kiosk ? 1920 : 900);
        switch (caller)
        {
            case Caller.Agent or Caller.Admin:
                await page.GotoAsync("/account/login");
                await page.FillAsync("#email", caller is Caller.Agent ? "agente1@demo.turno" : "admin@demo.turno");
                await page.FillAsync("#password", TurnoWebFactory.Password);
                await page.ClickAsync("button[type=submit]");
                await InteractiveAsync(page);
                break;
            case Caller.Kiosk or Caller.Display:
                await page.GotoAsync(caller is Caller.Kiosk ? "/kiosk" : "/display");
                await page.FillAsync("#code", caller is Caller.Kiosk ? TurnoWebFactory.KioskCode : TurnoWebFactory.DisplayCode);
                await page.ClickAsync("button[type=submit]");
                await InteractiveAsync(page);
                break;
        }
        return page;
    }

    [Fact]
    public async Task The_kiosk_audio_buttons_work_under_the_policy()
    {
        var kiosk = await PageAsync(1080, 1920);
        await kiosk.GotoAsync("/kiosk");
        await kiosk.FillAsync("#code", TurnoWebFactory.KioskCode);
        await kiosk.ClickAsync("button[type=submit]");
        await InteractiveAsync(kiosk);
        // The audio buttons are wired by kiosk.js (no inline onclick).
        await kiosk.ClickAsync("[data-action=audio-listen]");
        await Expect(kiosk.Locator("body.kiosk-audio-on")).ToHaveCountAsync(1);
        await kiosk.ClickAsync("[data-action=audio-stop]");
        await Expect(kiosk.Locator("body.kiosk-audio-on")).ToHaveCountAsync(0);
        await NoViolationsAsync(kiosk);
    }
}
