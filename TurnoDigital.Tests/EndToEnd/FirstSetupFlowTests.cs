using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>A production installation starts empty: the first administrator creates a branch and a walk-in service, and the kiosk offers it.</summary>
[Collection(BrowserCollection.Name)]
public class FirstSetupFlowTests(FirstSetupFlowTests.EmptyServer server) : IClassFixture<FirstSetupFlowTests.EmptyServer>
{
    public sealed class EmptyServer() : LiveServer(new Dictionary<string, string>(), sharedOrganization: false);

    const string Admin = "primera@empresa.co";

    [Fact]
    public async Task The_first_admin_creates_a_branch_and_a_walk_in_service_that_the_kiosk_offers()
    {
        var services = server.Factory.Services;
        await services.UserAsync(Admin, Roles.Admin);

        // With no branch, Servicios points to Sedes.
        var page = await Screens.SignedInAsync(server, "/admin/services", Admin, 1366, 900);
        await Expect(page.GetByTestId("no-branches")).ToContainTextAsync("Cada servicio pertenece a una sede");
        await Expect(page.Locator("[data-action=new-service]")).ToHaveCountAsync(0);
        await Screens.Shot(page, "admin-services-no-branches.png");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ir a Sedes" }).ClickAsync();

        // Sedes explains the empty state and shows no selector (never a "0").
        await Expect(page.GetByTestId("no-branches"))
            .ToContainTextAsync("Aún no hay sedes. Cree la primera para configurar horarios, servicios y ventanillas.");
        await Screens.InteractiveAsync(page);
        await Expect(page.Locator(".mud-select")).ToHaveCountAsync(0);
        await Screens.Shot(page, "admin-branches-empty.png");

        // A bad time zone is a clear message in the dialog, and what was typed stays.
        await page.ClickAsync("[data-action=new-branch]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog.GetByLabel("Zona horaria")).ToHaveValueAsync("America/Bogota");
        await dialog.GetByLabel("Nombre").FillAsync("Sede Norte");
        await dialog.GetByLabel("Zona horaria").FillAsync("Bogota");
        await dialog.GetByLabel("Zona horaria").PressAsync("Tab");
        await dialog.Locator("[data-action=create-branch]").ClickAsync();
        await Expect(dialog.GetByTestId("new-branch-error")).ToContainTextAsync("La zona horaria no existe");
        await Expect(dialog.GetByLabel("Nombre")).ToHaveValueAsync("Sede Norte");
        await Screens.Shot(page, "admin-new-branch-dialog.png");
        await dialog.GetByLabel("Zona horaria").FillAsync("America/Bogota");
        await dialog.GetByLabel("Zona horaria").PressAsync("Tab");
        await dialog.Locator("[data-action=create-branch]").ClickAsync();

        // The page selects the new branch.
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("no-branches")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("branch-select")).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Nombre")).ToHaveValueAsync("Sede Norte");

        // A walk-in service in it.
        await page.GotoAsync("/admin/services");
        await Screens.InteractiveAsync(page);
        await Expect(page.GetByTestId("no-services")).ToBeVisibleAsync();
        await page.ClickAsync("[data-action=new-service]");
        dialog = page.Locator(".mud-dialog");
        await dialog.GetByLabel("Nombre").FillAsync("Pagos");
        await dialog.GetByLabel("Prefijo").FillAsync("P1");
        await dialog.GetByLabel("Prefijo").PressAsync("Tab");
        await dialog.Locator("[data-action=create-service]").ClickAsync();
        await Expect(dialog.GetByTestId("new-service-error")).ToContainTextAsync("El prefijo debe tener de 1 a 3 letras");
        await Expect(dialog.GetByLabel("Nombre")).ToHaveValueAsync("Pagos");
        await dialog.GetByLabel("Prefijo").FillAsync("p");
        await dialog.GetByLabel("Prefijo").PressAsync("Tab");
        await Expect(dialog.GetByLabel("Prefijo")).ToHaveValueAsync("P"); // shown as it is saved
        await Screens.Shot(page, "admin-new-service-dialog.png");
        await dialog.Locator("[data-action=create-service]").ClickAsync();

        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        var row = page.Locator("tr", new() { HasText = "Pagos" });
        await Expect(row).ToContainTextAsync("Sede Norte");
        await Expect(row).ToContainTextAsync("Sin cita");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("P");

        // The branch's kiosk offers it (Wednesday 10:00: inside the new branch's Monday–Friday 08:00–17:00).
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            await services.DeviceAsync((await db.Branches.SingleAsync()).Id, DeviceKind.Kiosk, TurnoWebFactory.KioskCode);
        var kiosk = await Screens.PairedKioskAsync(server, 1080, 1920);
        await Expect(kiosk.Locator("[data-service]")).ToHaveCountAsync(1);
        await Expect(kiosk.Locator("[data-service]")).ToContainTextAsync("Pagos");
    }
}
