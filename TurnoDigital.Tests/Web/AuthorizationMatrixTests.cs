using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>
/// Every route the app maps × every method it answers × every kind of caller, against an explicit table.
/// A new page or endpoint without a row in <see cref="Expected"/> fails the test, and so does any endpoint that
/// states neither anonymous access nor an authorization requirement (the fallback policy would still guard it,
/// but the table and the code should say who may use it).
/// </summary>
public class AuthorizationMatrixTests(AuthorizationMatrixTests.Factory factory) : IClassFixture<AuthorizationMatrixTests.Factory>
{
    /// <summary>WhatsApp on the Cloud API (fake Graph API): the webhook is open and, outside Development, the simulator is not.</summary>
    public sealed class Factory : CloudApiWebFactory;

    public enum Who { Anonymous, Kiosk, Display, Agent, Supervisor, Admin, KeyWithScopes, KeyWithoutScope }

    // Outcomes: a status code, "login" / "denied" / "pair" (redirect to those screens), or "→/path" (any other redirect).
    static Func<Who, string> Everyone(string outcome) => _ => outcome;

    static Func<Who, string> Staff(params Who[] allowed) => who =>
        allowed.Contains(who) ? "200" : who is Who.Anonymous or Who.KeyWithScopes or Who.KeyWithoutScope ? "login" : "denied";

    static Func<Who, string> Device(Who device) => who =>
        who == device ? "200" : who is Who.Kiosk or Who.Display ? "denied" : "pair";

    /// <summary>Only the API key counts: staff and device cookies are 401 like no key at all.</summary>
    static Func<Who, string> Api(string ok, bool needsScope = true) => who => who switch
    {
        Who.KeyWithScopes => ok,
        Who.KeyWithoutScope => needsScope ? "403" : ok,
        _ => "401",
    };

    static readonly Dictionary<string, Func<Who, string>> Expected = new()
    {
        // Public screens and files.
        ["GET /account/login"] = Everyone("200"),
        ["GET /account/access-denied"] = Everyone("200"),
        ["GET /pair/{Screen}"] = Everyone("200"),
        ["GET /book"] = Everyone("200"),
        ["GET /t/{Code}"] = Everyone("200"),
        ["GET /fila/{BranchId:int}"] = Everyone("200"),
        // The live channels of /t (by the ticket's unguessable code) and /fila (counts only).
        ["GET /t/{code}/live"] = Everyone("200"),
        ["GET /fila/{branchId:int}/live"] = Everyone("200"),
        ["GET /cita/{Code}"] = Everyone("200"),
        // /cita's live channel, by the appointment's unguessable code like its page.
        ["GET /cita/{code}/live"] = Everyone("200"),
        ["GET /cita/{code}/ics"] = Everyone("200"),
        ["GET /not-found"] = Everyone("200"),
        ["GET /error"] = Everyone("200"),
        ["GET /health"] = Everyone("200"),
        ["GET /health/live"] = Everyone("200"),
        ["GET /culture"] = Everyone("→/"),
        // Unknown addresses: the not-found page for everyone, not a sign-in prompt.
        ["GET /{*path:nonfile}"] = Everyone("404"),
        // Meta's webhook: the verify token (GET) and the body's signature (POST) are the only credentials.
        ["GET /webhooks/whatsapp"] = Everyone("403"),
        ["POST /webhooks/whatsapp"] = Everyone("401"),
        // Staff screens by role.
        ["GET /"] = Staff(Who.Agent, Who.Supervisor, Who.Admin),
        ["GET /desk"] = Staff(Who.Agent),
        ["GET /citas/nueva"] = Staff(Who.Agent, Who.Supervisor, Who.Admin), // admin booking (assigned agent)
        ["GET /supervisor"] = Staff(Who.Supervisor, Who.Admin),
        ["GET /supervisor/journey"] = Staff(Who.Supervisor, Who.Admin),
        ["GET /supervisor/whatsapp"] = Staff(Who.Supervisor, Who.Admin),
        ["GET /admin/branches"] = Staff(Who.Admin),
        ["GET /admin/services"] = Staff(Who.Admin),
        ["GET /admin/devices"] = Staff(Who.Admin),
        ["GET /admin/alertas"] = Staff(Who.Admin),
        ["GET /alertas"] = Staff(Who.Agent, Who.Supervisor, Who.Admin),
        ["GET /admin/api-keys"] = Staff(Who.Admin),
        ["GET /admin/personas"] = Staff(Who.Admin),
        ["GET /admin/audit"] = Staff(Who.Admin),
        ["GET /admin/counters"] = Staff(Who.Admin),
        ["GET /admin/users"] = Staff(Who.Admin),
        ["GET /admin/settings"] = Staff(Who.Admin),
        ["GET /admin/mensajes"] = Staff(Who.Admin),
        ["GET /admin/personas/{id:int}/export"] = Staff(Who.Admin),
        // Names and phones of people the branch cancelled and could not tell on WhatsApp.
        ["GET /admin/branches/{branchId:int}/callbacks"] = Staff(Who.Admin),
        // Only in Development (WhatsAppEnvironmentTests checks it is for administrators there).
        ["GET /simulator/whatsapp"] = Everyone("404"),
        ["GET /supervisor/reports"] = Staff(Who.Supervisor, Who.Admin),
        ["GET /supervisor/reports/export"] = Staff(Who.Supervisor, Who.Admin),
        ["GET /supervisor/staffing"] = Staff(Who.Supervisor, Who.Admin),
        ["GET /supervisor/staffing/export"] = Staff(Who.Supervisor, Who.Admin),
        // No daily report is stored for that day: allowed callers reach the lookup and get 404.
        ["GET /supervisor/reports/daily/{branchId:int}/{day}"] = who => Staff(Who.Supervisor, Who.Admin)(who) == "200" ? "404" : Staff(Who.Supervisor, Who.Admin)(who),
        // Devices.
        ["GET /kiosk"] = Device(Who.Kiosk),
        ["GET /display"] = Device(Who.Display),
        ["POST /account/logout"] = who => who is Who.Agent or Who.Supervisor or Who.Admin ? "→/account/login" : "login",
        ["POST /devices/unpair"] = who => who is Who.Kiosk or Who.Display ? "→/" : "pair",
        // REST API.
        ["GET /api/v1/branches"] = Api("200", needsScope: false),
        ["GET /api/v1/services"] = Api("200", needsScope: false),
        ["GET /api/v1/availability"] = Api("200"),
        ["POST /api/v1/appointments"] = Api("400"),
        ["GET /api/v1/appointments/{code}"] = Api("200"),
        ["DELETE /api/v1/appointments/{code}"] = Api("200"),
        ["POST /api/v1/tickets"] = Api("400"),
        ["GET /api/v1/tickets/{code}"] = Api("200"),
        // The scope-less key of this table holds only "reports", so both keys may read reports (missing scope → 403 in ReportAccessTests).
        ["GET /api/v1/reports/channels"] = Api("200", needsScope: false),
    };

    const string Name = "Rigoberta Zuleta Matrizón", Document = "98765432", Phone = "3157654321";

    IEnumerable<RouteEndpoint> Endpoints() => factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    static string PatternOf(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');

    static bool IsPage(RouteEndpoint e) => e.Metadata.OfType<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>().Any();

    /// <summary>The app's own routes with each method they answer, minus framework internals, static files and the OpenAPI document.</summary>
    List<(string Method, string Pattern, bool Page)> AppRoutes()
    {
        var routes = new List<(string, string, bool)>();
        foreach (var e in Endpoints())
        {
            var pattern = PatternOf(e);
            // "/{**path:file}" is MapStaticAssets' fallback for files.
            if (pattern.StartsWith("/_") || pattern.Contains(":file}") || pattern.StartsWith("/openapi") || Path.HasExtension(pattern.Split('/').Last().Replace("{", "").Replace("}", ""))
                || e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset")))
                continue;
            foreach (var method in e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                routes.Add((method, pattern, IsPage(e)));
        }
        return routes.Distinct().OrderBy(r => r.Item2).ThenBy(r => r.Item1).ToList();
    }

    /// <summary>
    /// A page's form post without an antiforgery token: who may open the page is decided first (the same redirect as GET),
    /// and a caller who may is refused with 400 by the missing token.
    /// </summary>
    static Func<Who, string>? ExpectedFor(string method, string pattern, bool page) =>
        Expected.TryGetValue($"{method} {pattern}", out var row) ? row
        : page && method == "POST" && Expected.TryGetValue($"GET {pattern}", out var get) ? who => get(who) == "200" ? "400" : get(who)
        : null;

    [Fact]
    public void Every_route_of_the_app_has_a_row_in_the_table()
    {
        var routes = AppRoutes();
        var missing = routes.Where(r => ExpectedFor(r.Method, r.Pattern, r.Page) is null).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(missing.Count == 0, "Routes without an expected access row: " + string.Join(", ", missing));
        var stale = Expected.Keys.Except(routes.Select(r => $"{r.Method} {r.Pattern}")).ToList();
        Assert.True(stale.Count == 0, "Rows for routes the app no longer maps: " + string.Join(", ", stale));
        Assert.True(routes.Count(r => r.Method == "GET") >= 30, $"Only {routes.Count} routes found: {string.Join(", ", routes)}");
        Assert.True(routes.Count(r => r.Method == "POST") >= 10, "Pages answer form posts: " + string.Join(", ", routes.Where(r => r.Method == "POST")));
    }

    /// <summary>Deny by default, stated: every endpoint (framework and static files included) opts in to anonymous use or names who may use it.</summary>
    [Fact]
    public async Task Every_endpoint_states_anonymous_access_or_an_authorization_requirement()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var silent = endpoints.Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
                && !e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()
                && !e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>().Any())
            .Select(e => e.DisplayName).ToList();
        Assert.True(silent.Count == 0, "Endpoints that say nothing about access: " + string.Join(", ", silent));
        Assert.True(endpoints.Count >= 40, $"Only {endpoints.Count} endpoints");
        // The fallback policy itself: a signed-in staff user.
        var fallback = await factory.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        Assert.Contains(fallback!.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement);
        Assert.Contains(fallback.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement);
    }

    /// <summary>The public pages still work under the fallback policy for anonymous visitors: the circuit hub, the scripts, the error pages.</summary>
    [Theory]
    [InlineData("/_framework/blazor.web.js", HttpStatusCode.OK)]
    [InlineData("/app.css", HttpStatusCode.OK)]
    [InlineData("/not-found", HttpStatusCode.OK)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    public async Task Framework_files_and_error_pages_answer_anonymous_visitors(string path, HttpStatusCode expected) =>
        Assert.Equal(expected, (await factory.Browser().GetAsync(path)).StatusCode);

    [Fact]
    public async Task The_circuit_hub_negotiates_for_anonymous_visitors_of_public_pages()
    {
        var r = await factory.Browser().PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("connectionToken", await r.Content.ReadAsStringAsync());
    }

    record Data(int BranchId, int ServiceId, string TicketCode, string AppointmentCode, string Date, int CustomerId);

    async Task<Data> CreateDataAsync()
    {
        var api = factory.CreateClient(new() { AllowAutoRedirect = false });
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var tramites = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Trámites y certificados");
        var asesoria = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Asesoría de créditos");

        var ticket = await api.PostAsJsonAsync("/api/v1/tickets", new
        {
            branchId = tramites.BranchId, serviceId = tramites.Id,
            customer = new { documentType = "CC", documentNumber = Document, fullName = Name, phone = Phone },
            intake = new { tramite = "Certificado laboral" },
            consent = new { dataProcessing = true },
        });
        Assert.Equal(HttpStatusCode.Created, ticket.StatusCode);
        var ticketCode = JsonNode.Parse(await ticket.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();

        var date = factory.Today.AddDays(3)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var slots = JsonNode.Parse(await api.GetStringAsync($"/api/v1/availability?branchId={asesoria.BranchId}&serviceId={asesoria.Id}&date={date}"))!["slots"]!.AsArray();
        var start = slots.First(s => s!["free"]!.GetValue<int>() > 0)!["start"]!.GetValue<string>();
        var appointment = await api.PostAsJsonAsync("/api/v1/appointments", new
        {
            branchId = asesoria.BranchId, serviceId = asesoria.Id, start,
            customer = new { documentType = "CC", documentNumber = Document, fullName = Name, phone = Phone, email = "rigoberta@example.co" },
            consent = new { dataProcessing = true },
        });
        Assert.Equal(HttpStatusCode.Created, appointment.StatusCode);
        var appointmentCode = JsonNode.Parse(await appointment.Content.ReadAsStringAsync())!["code"]!.GetValue<string>();
        await using var check = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var customerId = await check.Customers.Where(c => c.Document!.Number == Document).Select(c => c.Id).SingleAsync();
        return new Data(asesoria.BranchId, asesoria.Id, ticketCode, appointmentCode, date, customerId);
    }

    static string Url(string pattern, Data d) => pattern switch
    {
        "/t/{Code}" or "/api/v1/tickets/{code}" => pattern.Replace("{Code}", d.TicketCode).Replace("{code}", d.TicketCode),
        "/pair/{Screen}" => "/pair/kiosk",
        "/fila/{BranchId:int}" => $"/fila/{d.BranchId}",
        // The fragment alone (the polling fallback): the stream itself would not end.
        "/t/{code}/live" => $"/t/{d.TicketCode}/live?once=1",
        "/fila/{branchId:int}/live" => $"/fila/{d.BranchId}/live?once=1",
        "/cita/{code}/live" => $"/cita/{d.AppointmentCode}/live?once=1",
        "/admin/personas/{id:int}/export" => $"/admin/personas/{d.CustomerId}/export",
        "/admin/branches/{branchId:int}/callbacks" => $"/admin/branches/{d.BranchId}/callbacks",
        "/api/v1/services" => $"{pattern}?branchId={d.BranchId}",
        "/api/v1/availability" => $"{pattern}?branchId={d.BranchId}&serviceId={d.ServiceId}&date={d.Date}",
        "/culture" => "/culture?c=es-CO",
        "/supervisor/reports/export" or "/api/v1/reports/channels" => $"{pattern}?from={d.Date}&to={d.Date}&format=csv",
        "/supervisor/staffing/export" => $"{pattern}?branchId={d.BranchId}&weekday=3",
        "/supervisor/reports/daily/{branchId:int}/{day}" => $"/supervisor/reports/daily/{d.BranchId}/2001-01-01",
        "/{*path:nonfile}" => "/no-such-page",
        _ => pattern.Replace("{Code}", d.AppointmentCode).Replace("{code}", d.AppointmentCode),
    };

    async Task<HttpClient> ClientAsync(Who who)
    {
        var client = factory.Browser();
        switch (who)
        {
            case Who.Kiosk: Assert.Equal(HttpStatusCode.Redirect, (await client.PairAsync("kiosk", TurnoWebFactory.KioskCode)).StatusCode); break;
            case Who.Display: Assert.Equal(HttpStatusCode.Redirect, (await client.PairAsync("display", TurnoWebFactory.DisplayCode)).StatusCode); break;
            case Who.Agent: Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("agente1@demo.turno")).StatusCode); break;
            case Who.Supervisor: Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("supervisor@demo.turno")).StatusCode); break;
            case Who.Admin: Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("admin@demo.turno")).StatusCode); break;
            case Who.KeyWithScopes: client.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey); break;
            case Who.KeyWithoutScope:
                var (_, key) = await factory.Services.GetRequiredService<ApiKeyService>().CreateAsync("Solo reportes", [ApiScopes.Reports]);
                client.DefaultRequestHeaders.Add("X-Api-Key", key);
                break;
        }
        return client;
    }

    static string Outcome(HttpResponseMessage r)
    {
        if (r.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect))
            return ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture);
        var location = r.Headers.Location is { IsAbsoluteUri: true } abs ? abs.PathAndQuery : r.Headers.Location!.OriginalString;
        if (location.StartsWith("/account/login?", StringComparison.OrdinalIgnoreCase)) return "login";
        if (location.StartsWith("/account/access-denied", StringComparison.OrdinalIgnoreCase)) return "denied";
        if (location.StartsWith("/pair/", StringComparison.OrdinalIgnoreCase)) return "pair";
        return "→" + location;
    }

    [Fact]
    public async Task Every_route_answers_each_kind_of_caller_as_the_table_says()
    {
        var data = await CreateDataAsync();
        var routes = AppRoutes().Where(r => ExpectedFor(r.Method, r.Pattern, r.Page) is not null).ToList();
        // Logging out and unpairing end the session, so those run last with a fresh sign-in.
        routes = routes.OrderBy(r => r.Pattern is "/account/logout" or "/devices/unpair").ToList();
        var clients = new Dictionary<Who, HttpClient>();
        foreach (var who in Enum.GetValues<Who>()) clients[who] = await ClientAsync(who);

        var failures = new StringBuilder();
        var cells = 0;
        foreach (var (method, pattern, page) in routes)
        foreach (var who in Enum.GetValues<Who>())
        {
            var ending = pattern is "/account/logout" or "/devices/unpair";
            var client = ending ? await ClientAsync(who) : clients[who];
            var request = new HttpRequestMessage(new HttpMethod(method), Url(pattern, data));
            if (method == "POST" && pattern.StartsWith("/api/")) request.Content = JsonContent.Create(new { });
            var actual = Outcome(await client.SendAsync(request));
            var expected = ExpectedFor(method, pattern, page)!(who);
            cells++;
            if (actual != expected) failures.AppendLine($"{method} {pattern} as {who}: expected {expected}, got {actual}");
        }
        Assert.True(failures.Length == 0, failures.ToString());
        Assert.True(cells >= 50 * 8, $"{cells} cells");
    }

    [Fact]
    public async Task Public_screens_never_show_the_customers_personal_data()
    {
        var data = await CreateDataAsync();
        var anonymous = factory.Browser();
        var display = await ClientAsync(Who.Display);
        var pages = new List<(string Url, string Html)>();
        foreach (var url in new[] { $"/t/{data.TicketCode}", $"/cita/{data.AppointmentCode}", $"/cita/{data.AppointmentCode}/ics", $"/fila/{data.BranchId}",
            $"/t/{data.TicketCode}/live?once=1", $"/fila/{data.BranchId}/live?once=1", $"/cita/{data.AppointmentCode}/live?once=1" })
        {
            var r = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            pages.Add((url, await r.HtmlAsync()));
        }
        var board = await display.GetAsync("/display");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        pages.Add(("/display", await board.HtmlAsync()));
        // The pages did render the records (not an empty "not found").
        Assert.Contains(data.TicketCode, pages[0].Html);
        Assert.Contains(data.AppointmentCode, pages[1].Html);

        foreach (var (url, html) in pages)
        foreach (var secret in new[] { Name, "Rigoberta", "Zuleta", Document, Phone, "315 765 4321", "765 4321", "rigoberta@example.co" })
            Assert.False(html.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{url} shows «{secret}»");
    }
}
