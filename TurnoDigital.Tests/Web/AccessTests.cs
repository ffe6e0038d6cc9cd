using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

public class AccessTests(AccessTests.Factory factory) : IClassFixture<AccessTests.Factory>
{
    public sealed class Factory : TurnoWebFactory;

    static string? Location(HttpResponseMessage r) =>
        r.Headers.Location is { IsAbsoluteUri: true } abs && abs.Host == "localhost" ? abs.PathAndQuery : r.Headers.Location?.OriginalString;

    [Fact]
    public async Task Health_answers_when_the_database_is_reachable()
    {
        var client = factory.Browser();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("/desk")]
    [InlineData("/admin/devices")]
    [InlineData("/admin/services")]
    [InlineData("/admin/branches")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/users")]
    [InlineData("/citas/nueva")]
    [InlineData("/")]
    public async Task Staff_pages_send_anonymous_people_to_the_login(string path)
    {
        var r = await factory.Browser().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/account/login", Location(r));
    }

    [Theory]
    [InlineData("/kiosk", "/pair/kiosk")]
    [InlineData("/display", "/pair/display")]
    public async Task Device_screens_on_an_unpaired_browser_show_pairing(string path, string pairing)
    {
        var client = factory.Browser();
        var r = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(pairing, Location(r));
        var page = await client.GetHtmlAsync(pairing);
        Assert.Contains("Emparejar", page);
    }

    [Fact]
    public async Task Login_page_is_in_Spanish_and_wrong_password_says_so()
    {
        var client = factory.Browser();
        Assert.Contains("Ingreso del personal", await client.GetHtmlAsync("/account/login"));
        var r = await client.LoginAsync("agente2@demo.turno", "wrong-password");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Correo o contraseña incorrectos", await r.HtmlAsync());
    }

    [Theory]
    [InlineData("agente1@demo.turno", "/desk", HttpStatusCode.OK)]
    [InlineData("agente1@demo.turno", "/admin/devices", HttpStatusCode.Redirect)]
    [InlineData("admin@demo.turno", "/admin/devices", HttpStatusCode.OK)]
    [InlineData("admin@demo.turno", "/admin/services", HttpStatusCode.OK)]
    [InlineData("admin@demo.turno", "/admin/branches", HttpStatusCode.OK)]
    [InlineData("admin@demo.turno", "/admin/personas", HttpStatusCode.OK)]
    [InlineData("supervisor@demo.turno", "/admin/personas", HttpStatusCode.Redirect)]
    [InlineData("agente1@demo.turno", "/admin/personas/1/export", HttpStatusCode.Redirect)]
    [InlineData("agente1@demo.turno", "/admin/services", HttpStatusCode.Redirect)]
    [InlineData("supervisor@demo.turno", "/admin/branches", HttpStatusCode.Redirect)]
    [InlineData("admin@demo.turno", "/desk", HttpStatusCode.Redirect)]
    [InlineData("supervisor@demo.turno", "/desk", HttpStatusCode.Redirect)]
    [InlineData("supervisor@demo.turno", "/", HttpStatusCode.OK)]
    [InlineData("agente1@demo.turno", "/citas/nueva", HttpStatusCode.OK)]
    [InlineData("supervisor@demo.turno", "/citas/nueva", HttpStatusCode.OK)]
    [InlineData("admin@demo.turno", "/citas/nueva", HttpStatusCode.OK)]
    [InlineData("agente1@demo.turno", "/admin/audit", HttpStatusCode.Redirect)]
    [InlineData("supervisor@demo.turno", "/admin/audit", HttpStatusCode.Redirect)]
    [InlineData("admin@demo.turno", "/admin/audit", HttpStatusCode.OK)]
    [InlineData("supervisor@demo.turno", "/admin/counters", HttpStatusCode.Redirect)]
    [InlineData("admin@demo.turno", "/admin/counters", HttpStatusCode.OK)]
    [InlineData("agente1@demo.turno", "/admin/users", HttpStatusCode.Redirect)]
    [InlineData("supervisor@demo.turno", "/admin/users", HttpStatusCode.Redirect)]
    [InlineData("admin@demo.turno", "/admin/users", HttpStatusCode.OK)]
    [InlineData("supervisor@demo.turno", "/admin/settings", HttpStatusCode.Redirect)]
    [InlineData("admin@demo.turno", "/admin/settings", HttpStatusCode.OK)]
    public async Task Role_gates(string email, string path, HttpStatusCode expected)
    {
        var client = factory.Browser();
        var login = await client.LoginAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var r = await client.GetAsync(path);
        Assert.Equal(expected, r.StatusCode);
        if (expected == HttpStatusCode.Redirect) Assert.Contains("/account/access-denied", Location(r));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_can_again_once_enabled()
    {
        var staff = factory.Services.GetRequiredService<StaffAdmin>();
        var id = await staff.CreateAsync("deshabilitado@demo.turno", "Usuario de prueba", [Roles.Agent], TurnoWebFactory.Password, BranchGrant.All, "admin-test");
        Assert.Equal(HttpStatusCode.Redirect, (await factory.Browser().LoginAsync("deshabilitado@demo.turno")).StatusCode);

        await staff.SetDisabledAsync(id, true, "admin-test");
        var r = await factory.Browser().LoginAsync("deshabilitado@demo.turno");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Esta cuenta está deshabilitada", await r.HtmlAsync());
        // A wrong password does not reveal the state of the account.
        var wrong = await factory.Browser().LoginAsync("deshabilitado@demo.turno", "not-the-password");
        Assert.Contains("Correo o contraseña incorrectos", await wrong.HtmlAsync());

        await staff.SetDisabledAsync(id, false, "admin-test");
        Assert.Equal(HttpStatusCode.Redirect, (await factory.Browser().LoginAsync("deshabilitado@demo.turno")).StatusCode);
    }

    [Fact]
    public async Task Agent_lands_on_the_desk_after_login()
    {
        var r = await factory.Browser().LoginAsync("agente1@demo.turno");
        Assert.Equal("/desk", Location(r));
    }

    [Fact]
    public async Task Login_return_url_must_be_local()
    {
        var client = factory.Browser();
        var r = await client.SubmitAsync("/account/login?returnUrl=https%3A%2F%2Fevil.example", "login",
            new() { ["Input.Email"] = "agente1@demo.turno", ["Input.Password"] = TurnoWebFactory.Password });
        Assert.Equal("/desk", Location(r));
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account()
    {
        var client = factory.Browser();
        for (var i = 0; i < 5; i++) await client.LoginAsync("agente2@demo.turno", "not-the-password");
        var r = await client.LoginAsync("agente2@demo.turno");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("bloqueada", await r.HtmlAsync());
    }

    [Fact]
    public async Task A_paired_kiosk_opens_the_kiosk_but_never_staff_pages_or_the_display()
    {
        var kiosk = factory.Browser();
        var pair = await kiosk.PairAsync("kiosk", TurnoWebFactory.KioskCode.ToLowerInvariant());
        Assert.Equal("/kiosk", Location(pair));
        Assert.Equal(HttpStatusCode.OK, (await kiosk.GetAsync("/kiosk")).StatusCode);
        Assert.StartsWith("/account/access-denied", Location(await kiosk.GetAsync("/display")));
        var desk = await kiosk.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.Redirect, desk.StatusCode);
        Assert.Contains("/account/access-denied", Location(desk));
        Assert.Contains("emparejado como kiosco", await kiosk.GetHtmlAsync("/account/login"));
    }

    [Fact]
    public async Task Wrong_code_is_refused_with_a_message()
    {
        var client = factory.Browser();
        var r = await client.PairAsync("display", "NO-EXISTE");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("no es válido", await r.HtmlAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/display")).StatusCode);
        // A kiosk code does not pair a display.
        Assert.Contains("no es válido", await (await client.PairAsync("display", TurnoWebFactory.KioskCode)).HtmlAsync());
    }

    [Fact]
    public async Task A_registered_device_pairs_once_and_revocation_ends_its_access()
    {
        var devices = factory.Services.GetRequiredService<DeviceService>();
        int branchId;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            branchId = await db.Branches.Select(b => b.Id).FirstAsync();
        var (deviceId, code) = await devices.RegisterAsync(branchId, DeviceKind.Display, "Pantalla segundo piso");

        var board = factory.Browser();
        Assert.Equal("/display", Location(await board.PairAsync("display", code)));
        Assert.Equal(HttpStatusCode.OK, (await board.GetAsync("/display")).StatusCode);

        var other = factory.Browser();
        Assert.Contains("no es válido", await (await other.PairAsync("display", code)).HtmlAsync());

        await devices.RevokeAsync(deviceId);
        var after = await board.GetAsync("/display");
        Assert.Equal("/pair/display", Location(after));
    }

    [Theory]
    [InlineData("/t/no-existe")]
    [InlineData("/t/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    public async Task Unknown_ticket_code_is_a_friendly_404_page(string path)
    {
        var r = await factory.Browser().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var html = await r.HtmlAsync();
        Assert.Contains("No encontramos", html);
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public async Task Unknown_page_is_a_friendly_404()
    {
        var r = await factory.Browser().GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("No encontramos esta página", await r.HtmlAsync());
    }

    [Fact]
    public async Task Language_switch_sets_english_and_only_redirects_locally()
    {
        var client = factory.Browser();
        var r = await client.GetAsync("/culture?c=en&returnUrl=%2Faccount%2Flogin");
        Assert.Equal("/account/login", Location(r));
        Assert.Contains("Staff sign in", await client.GetHtmlAsync("/account/login"));
        Assert.Equal("/", Location(await client.GetAsync("/culture?c=es-CO&returnUrl=https%3A%2F%2Fevil.example")));
    }

    [Fact]
    public async Task Bad_form_input_gets_a_validation_message_not_an_error()
    {
        var client = factory.Browser();
        var longCode = await client.PairAsync("kiosk", new string('X', 5000));
        Assert.Equal(HttpStatusCode.OK, longCode.StatusCode);
        Assert.Contains("demasiado largo", await longCode.HtmlAsync());

        var empty = await client.PairAsync("kiosk", "");
        Assert.Contains("Escriba el código", await empty.HtmlAsync());

        var badEmail = await client.LoginAsync("<script>alert(1)</script>", "x");
        Assert.Equal(HttpStatusCode.OK, badEmail.StatusCode);
        var html = await badEmail.Content.ReadAsStringAsync();
        Assert.Contains("no es v", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);

        Assert.Contains("Pantalla desconocida", await client.GetHtmlAsync("/pair/tostadora"));
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        var r = await factory.Browser().PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = "admin@demo.turno", ["Input.Password"] = TurnoWebFactory.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Theory]
    [InlineData("/account/logout", "/account/login")]
    [InlineData("/devices/unpair", "/pair/kiosk")]
    public async Task Logout_and_unpair_are_only_for_someone_signed_in(string path, string redirect)
    {
        var r = await factory.Browser().PostAsync(path, null);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith(redirect, Location(r));
    }

    [Fact]
    public async Task A_paired_display_can_forget_its_pairing()
    {
        var board = factory.Browser();
        await board.PairAsync("display", TurnoWebFactory.DisplayCode);
        Assert.Equal(HttpStatusCode.OK, (await board.GetAsync("/display")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await board.PostAsync("/devices/unpair", null)).StatusCode);
        Assert.Equal("/pair/display", Location(await board.GetAsync("/display")));
    }

    [Fact]
    public async Task Admin_exports_a_persons_data_as_json()
    {
        var booking = factory.Services.GetRequiredService<TurnoDigital.Core.Appointments.BookingService>();
        int branchId, serviceId;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            (branchId, serviceId) = await db.Services.Where(s => s.Name == "Asesoría de créditos").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
        var slot = (await factory.Services.GetRequiredService<TurnoDigital.Core.Appointments.AvailabilityService>()
            .GetSlotsAsync(branchId, serviceId, factory.Today.AddDays(2))).First();
        await booking.BookAsync(new(branchId, serviceId, slot.StartUtc, TurnoDigital.Core.Common.Channel.Web,
            new(TurnoDigital.Core.Customers.DocumentType.CC, "70707070", "Pedro Gil", "3112223344", "pedro@example.co"), Guid.NewGuid(), DataPolicyAccepted: true));
        int id;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            id = await db.Customers.Where(c => c.Document!.Number == "70707070").Select(c => c.Id).SingleAsync();

        var admin = factory.Browser();
        await admin.LoginAsync("admin@demo.turno");
        var r = await admin.GetAsync($"/admin/personas/{id}/export");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Pedro Gil", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/personas/999999/export")).StatusCode);
    }

    [Fact]
    public async Task An_open_staff_screen_loses_its_session_when_the_user_is_disabled_and_a_device_keeps_its_own()
    {
        var staff = factory.Services.GetRequiredService<StaffAdmin>();
        var id = await staff.CreateAsync("revalidar@demo.turno", "Persona Revalidar", [Roles.Agent], "Clave2026Segura", BranchGrant.All, "admin-1");
        System.Security.Claims.ClaimsPrincipal principal;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            principal = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<AppUser>>()
                .CreateAsync((await users.FindByIdAsync(id))!);
        }
        // Each check runs in a fresh scope, as the circuit's revalidation does.
        async Task<bool> ValidAsync(System.Security.Claims.ClaimsPrincipal p)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await TurnoDigital.Web.Security.StaffRevalidation.IsStillValidAsync(scope.ServiceProvider, p);
        }

        Assert.True(await ValidAsync(principal));
        await staff.SetDisabledAsync(id, true, "admin-1");
        Assert.False(await ValidAsync(principal));
        await staff.SetDisabledAsync(id, false, "admin-1");
        // Enabling again does not revive the old session: its stamp is stale, a new sign-in is needed.
        Assert.False(await ValidAsync(principal));
        Assert.True(await ValidAsync(new System.Security.Claims.ClaimsPrincipal()));
    }
}
