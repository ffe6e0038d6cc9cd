using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Api;
using TurnoDigital.Web.Components.Pages.Admin;

namespace TurnoDigital.Tests.Components;

public class ApiKeysPageTests : ComponentTestBase
{
    [Fact]
    public async Task Creating_a_key_shows_it_once_with_the_chosen_scopes()
    {
        var keys = H.Services.GetRequiredService<ApiKeyService>();
        Services.AddSingleton(keys);
        var cut = Render<ApiKeys>();

        // Async dispatch: the handlers hit the database, and sync waits can starve a busy parallel run.
        await cut.Find("input[data-testid=key-name], [data-testid=key-name] input").ChangeAsync(new() { Value = "Portal web" });
        await cut.FindAll("input[type=checkbox]")[1].ChangeAsync(new() { Value = true }); // tickets, besides the preselected appointments
        await cut.Find("[data-action=create]").ClickAsync(new());

        var shown = (await cut.WaitForElementAsync("[data-testid=api-key]", TimeSpan.FromSeconds(15))).TextContent;
        Assert.StartsWith("td_", shown);
        Assert.Contains("no se volverá a mostrar", cut.Markup);
        var created = await keys.FindAsync(shown);
        Assert.NotNull(created);
        Assert.Equal("Portal web", created.Name);
        Assert.Equal([ApiScopes.Appointments, ApiScopes.Tickets], created.Scopes);
        await cut.WaitForAssertionAsync(() => Assert.Contains(shown[..8], cut.Markup), TimeSpan.FromSeconds(15));

        // A fresh visit lists the key by its prefix only.
        var again = Render<ApiKeys>();
        await again.WaitForAssertionAsync(() => Assert.Contains("Portal web", again.Markup), TimeSpan.FromSeconds(15));
        Assert.Empty(again.FindAll("[data-testid=api-key]"));
        Assert.DoesNotContain(shown, again.Markup);
    }
}
