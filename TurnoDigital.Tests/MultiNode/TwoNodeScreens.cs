using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.MultiNode;

/// <summary>Screens and API calls through the bed's nginx, each pinned to a node by its affinity cookie.</summary>
public static class TwoNodeScreens
{
    /// <summary>A desk signed in through nginx on node <paramref name="node"/>, with <paramref name="counter"/> open.</summary>
    public static async Task<IPage> DeskAsync(this TwoNodeBed bed, int node, string agent, string counter)
    {
        var page = await (await bed.BrowserPinnedToAsync(node)).NewPageAsync();
        await page.GotoAsync("/desk");
        await page.FillAsync("#email", agent);
        await page.FillAsync("#password", TurnoWebFactory.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/desk");
        await Screens.InteractiveAsync(page);
        await page.ClickAsync($"[data-counter='{counter}']");
        await Expect(page.Locator("[data-line]").First).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A display board paired through nginx on node <paramref name="node"/>, live.</summary>
    public static async Task<IPage> BoardAsync(this TwoNodeBed bed, int node)
    {
        var page = await (await bed.BrowserPinnedToAsync(node)).NewPageAsync();
        await page.GotoAsync("/display");
        await page.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await page.ClickAsync("button[type=submit]");
        await Screens.InteractiveAsync(page);
        await Expect(page.Locator("[data-interactive=yes] .board__lines li").First).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Call next on the desk; returns the number it now shows.</summary>
    public static async Task<string> CallNextAsync(IPage desk)
    {
        var before = await desk.Locator("[data-testid=current-number]").CountAsync() > 0
            ? await desk.Locator("[data-testid=current-number]").InnerTextAsync() : null;
        await desk.ClickAsync("[data-action=call-next]");
        await desk.WaitForFunctionAsync("b => { const n = document.querySelector('[data-testid=current-number]'); return n && n.textContent.trim() !== b; }", before ?? "");
        return (await desk.Locator("[data-testid=current-number]").InnerTextAsync()).Trim();
    }

    /// <summary>Start and complete the desk's current ticket, so Call next is offered again.</summary>
    public static async Task FinishAsync(IPage desk)
    {
        await desk.ClickAsync("[data-action=start]");
        await desk.ClickAsync("[data-action=complete]");
        await Expect(desk.Locator("[data-action=call-next]")).ToBeEnabledAsync();
    }

    /// <summary>Waits until the board shows <paramref name="number"/> (as the call or in the recent list).</summary>
    public static Task ShowsAsync(IPage board, string number, float timeout = Chromium.Patience) =>
        board.WaitForFunctionAsync("n => !!document.querySelector(`[data-interactive=yes] [data-ticket='${n}']`)", number, new() { Timeout = timeout });

    public static async Task<(int BranchId, int ServiceId)> CajaAsync(this TwoNodeBed bed)
    {
        await using var db = bed.Db();
        var caja = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Caja");
        return (caja.BranchId, caja.Id);
    }

    /// <summary>Issues a Caja ticket through nginx with the API; returns its code.</summary>
    public static async Task<string> IssueAsync(this HttpClient api, (int BranchId, int ServiceId) caja, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = JsonContent.Create(new { caja.BranchId, caja.ServiceId }) };
        request.Headers.Add("Idempotency-Key", key);
        using var r = await api.SendAsync(request);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode} {text}");
        return JsonNode.Parse(text)!["code"]!.GetValue<string>();
    }
}
