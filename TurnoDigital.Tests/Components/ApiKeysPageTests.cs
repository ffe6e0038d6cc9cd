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

        cut.Find("input[data-testid=key-name], [data-testid=key-name] input").Change("Portal web");
        cut.FindAll("input[type=checkbox]")[1].Change(true); // tickets, besides the preselected appointments
        cut.Find("[data-action=create]").Click();

        var shown = cut.WaitForElement("[data-testid=api-key]").TextContent;
        Assert.StartsWith("td_", shown);
        Assert.Contains("no se volverá a mostrar", cut.Markup);
        var created = await keys.FindAsync(shown);
        Assert.NotNull(created);
        Assert.Equal("Portal web", created.Name);
        Assert.Equal([ApiScopes.Appointments, ApiScopes.Tickets], created.Scopes);
        cut.WaitForAssertion(() => Assert.Contains(shown[..8], cut.Markup));

        // A fresh visit lists the key by its prefix only.
        var again = Render<ApiKeys>();
        Assert.Empty(again.FindAll("[data-testid=api-key]"));
        Assert.Contains("Portal web", again.Markup);
        Assert.DoesNotContain(shown, again.Markup);
    }
}
