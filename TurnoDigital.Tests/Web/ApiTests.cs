using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>The REST API over real HTTP: keys and scopes, the JSON contract, problem details, idempotency.</summary>
public class ApiTests(ApiTests.Factory factory) : IClassFixture<ApiTests.Factory>
{
    public sealed class Factory : TurnoWebFactory;

    const string Asesoria = "Asesoría de créditos", Tramites = "Trámites y certificados", Caja = "Caja";
    static int documentSeq = 52_000_000;

    HttpClient Api(string? key = TurnoWebFactory.ApiKey)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    TurnoDbContext Db() => factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();

    /// <summary>Tomorrow in Bogotá on the app's clock: the demo branch is open all day, so every slot is past the minimum notice.</summary>
    string Tomorrow(int later = 0) => factory.Today
        .AddDays(1 + later).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string NewDocument() => Interlocked.Increment(ref documentSeq).ToString(CultureInfo.InvariantCulture);

    static string PhoneOf(string document) => "310" + (document.Where(char.IsDigit).Aggregate(0L, (n, c) => n * 10 + (c - '0')) % 10_000_000).ToString("0000000", CultureInfo.InvariantCulture);

    static async Task<JsonNode> JsonAsync(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!;

    async Task<(int BranchId, int ServiceId)> IdsAsync(string serviceName)
    {
        await using var db = Db();
        var s = await db.Services.AsNoTracking().SingleAsync(x => x.Name == serviceName);
        return (s.BranchId, s.Id);
    }

    async Task<JsonArray> SlotsAsync(string serviceName, string? date = null)
    {
        var (branchId, serviceId) = await IdsAsync(serviceName);
        var r = await Api().GetAsync($"/api/v1/availability?branchId={branchId}&serviceId={serviceId}&date={date ?? Tomorrow()}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (await JsonAsync(r))["slots"]!.AsArray();
    }

    /// <summary>A free slot from tomorrow on; <paramref name="skip"/> spreads tests over the days (ten slots each) so they never share one by accident.</summary>
    async Task<string> FreeSlotAsync(string serviceName, int skip = 0) =>
        (await SlotsAsync(serviceName, Tomorrow(skip / 10))).Where(s => s!["free"]!.GetValue<int>() > 0).Skip(skip % 10).First()!["start"]!.GetValue<string>();

    async Task<object> BookingAsync(string serviceName, string start, string? document = null, object? intake = null, string documentType = "CC")
    {
        var (branchId, serviceId) = await IdsAsync(serviceName);
        document ??= NewDocument();
        return new
        {
            branchId, serviceId, start,
            // One phone per person: the caps per phone would otherwise count every test's booking against one number.
            customer = new { documentType, documentNumber = document, fullName = "María José Pérez", phone = PhoneOf(document), email = "maria@example.co" },
            consent = new { dataProcessing = true, whatsApp = true },
            intake,
        };
    }

    static HttpRequestMessage Post(string url, object body, string? idempotencyKey = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) m.Headers.Add("Idempotency-Key", idempotencyKey);
        return m;
    }

    static async Task AssertProblemAsync(HttpResponseMessage r, HttpStatusCode status, string? detailContains = null)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var json = await JsonAsync(r);
        Assert.Equal((int)status, json["status"]!.GetValue<int>());
        if (detailContains is not null) Assert.Contains(detailContains, json["detail"]!.GetValue<string>());
    }

    // ---- Authentication and scopes ----

    [Fact]
    public async Task OpenApi_document_is_anonymous_and_lists_only_the_api()
    {
        var r = await Api(key: null).GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = await JsonAsync(r);
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/appointments", paths);
        Assert.Contains("/api/v1/appointments/{code}", paths);
        Assert.Contains("/api/v1/tickets", paths);
        Assert.Contains("/api/v1/availability", paths);
        Assert.DoesNotContain("/health", paths);
        Assert.DoesNotContain("/culture", paths);
        var scheme = doc["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/v1/branches")]
    [InlineData("GET", "/api/v1/services?branchId=1")]
    [InlineData("GET", "/api/v1/availability?branchId=1&serviceId=3&date=2026-11-26")]
    [InlineData("POST", "/api/v1/appointments")]
    [InlineData("GET", "/api/v1/appointments/ABCDEFGH")]
    [InlineData("DELETE", "/api/v1/appointments/ABCDEFGH")]
    [InlineData("POST", "/api/v1/tickets")]
    [InlineData("GET", "/api/v1/tickets/abcdefghij")]
    public async Task Every_endpoint_answers_401_without_a_key_and_with_a_bad_key(string method, string url)
    {
        HttpRequestMessage Request() => new(new HttpMethod(method), url) { Content = method == "POST" ? JsonContent.Create(new { branchId = 1, serviceId = 1 }) : null };

        var none = await Api(key: null).SendAsync(Request());
        await AssertProblemAsync(none, HttpStatusCode.Unauthorized, "X-Api-Key");
        var bad = await Api("td_not_a_real_key").SendAsync(Request());
        await AssertProblemAsync(bad, HttpStatusCode.Unauthorized, "no es válida");
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var keys = factory.Services.GetRequiredService<ApiKeyService>();
        var (id, key) = await keys.CreateAsync("Revocable", [ApiScopes.Appointments]);
        Assert.Equal(HttpStatusCode.OK, (await Api(key).GetAsync("/api/v1/branches")).StatusCode);
        await keys.RevokeAsync(id);
        await AssertProblemAsync(await Api(key).GetAsync("/api/v1/branches"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403_and_the_catalogue_still_answers()
    {
        var keys = factory.Services.GetRequiredService<ApiKeyService>();
        var (_, ticketsOnly) = await keys.CreateAsync("Solo turnos", [ApiScopes.Tickets]);
        var (_, appointmentsOnly) = await keys.CreateAsync("Solo citas", [ApiScopes.Appointments]);
        var (branchId, serviceId) = await IdsAsync(Asesoria);
        var (_, cajaId) = await IdsAsync(Caja);

        var tickets = Api(ticketsOnly);
        Assert.Equal(HttpStatusCode.OK, (await tickets.GetAsync("/api/v1/branches")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tickets.GetAsync($"/api/v1/services?branchId={branchId}")).StatusCode);
        await AssertProblemAsync(await tickets.GetAsync($"/api/v1/availability?branchId={branchId}&serviceId={serviceId}&date={Tomorrow()}"), HttpStatusCode.Forbidden, "permiso");
        await AssertProblemAsync(await tickets.SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, await FreeSlotAsync(Asesoria)))), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await tickets.DeleteAsync("/api/v1/appointments/ABCDEFGH"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, (await tickets.PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId = cajaId })).StatusCode);

        var appointments = Api(appointmentsOnly);
        await AssertProblemAsync(await appointments.PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId = cajaId }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await appointments.GetAsync("/api/v1/tickets/abcdefghij"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await appointments.GetAsync($"/api/v1/availability?branchId={branchId}&serviceId={serviceId}&date={Tomorrow()}")).StatusCode);
    }

    [Fact]
    public async Task A_staff_sign_in_is_not_an_api_key()
    {
        var browser = factory.Browser();
        await browser.LoginAsync("admin@demo.turno");
        await AssertProblemAsync(await browser.GetAsync("/api/v1/branches"), HttpStatusCode.Unauthorized);
    }

    // ---- Catalogue and availability ----

    [Fact]
    public async Task Branches_and_services_describe_the_demo_branch()
    {
        var branches = (await JsonAsync(await Api().GetAsync("/api/v1/branches"))).AsArray();
        var centro = Assert.Single(branches, b => b!["name"]!.GetValue<string>() == "Sede Centro")!;
        Assert.Equal("America/Bogota", centro["timeZoneId"]!.GetValue<string>());
        var branchId = centro["id"]!.GetValue<int>();

        var services = (await JsonAsync(await Api().GetAsync($"/api/v1/services?branchId={branchId}"))).AsArray();
        JsonNode Service(string name) => services.Single(s => s!["name"]!.GetValue<string>() == name)!;
        Assert.Equal("WalkIn", Service(Caja)["mode"]!.GetValue<string>());
        Assert.Equal("A", Service(Caja)["prefix"]!.GetValue<string>());
        Assert.Equal("Schedulable", Service(Asesoria)["mode"]!.GetValue<string>());
        Assert.Equal(30, Service(Asesoria)["slotMinutes"]!.GetValue<int>());
        Assert.Equal("Both", Service(Tramites)["mode"]!.GetValue<string>());
        var tramite = Service(Tramites)["intakeFields"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == "tramite")!;
        Assert.True(tramite["required"]!.GetValue<bool>());
        Assert.Contains("Paz y salvo", tramite["options"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public async Task Services_of_an_unknown_or_missing_branch_are_404_and_400()
    {
        await AssertProblemAsync(await Api().GetAsync("/api/v1/services?branchId=9999"), HttpStatusCode.NotFound, "sede");
        var missing = await Api().GetAsync("/api/v1/services");
        await AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.NotNull((await JsonAsync(missing))["errors"]!["branchId"]);
    }

    [Fact]
    public async Task Availability_gives_local_times_with_the_branch_offset_and_utc()
    {
        var slots = await SlotsAsync(Asesoria);
        Assert.Equal(24, slots.Count); // appointments 7:00–19:00, 30-minute slots
        var first = slots[0]!;
        var local = first["start"]!.GetValue<string>();
        var utc = first["startUtc"]!.GetValue<string>();
        Assert.Equal(Tomorrow() + "T07:00:00-05:00", local);
        Assert.EndsWith("Z", utc);
        Assert.Equal(DateTimeOffset.Parse(local, CultureInfo.InvariantCulture), DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture));
        Assert.Equal(1, first["free"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("2026-13-45")]
    [InlineData("26/11/2026")]
    [InlineData("")]
    public async Task Availability_with_a_bad_date_is_400_naming_the_field(string date)
    {
        var (branchId, serviceId) = await IdsAsync(Asesoria);
        var r = await Api().GetAsync($"/api/v1/availability?branchId={branchId}&serviceId={serviceId}&date={date}");
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        var errors = (await JsonAsync(r))["errors"]!.AsObject();
        Assert.Equal(new[] { "date" }, errors.Select(e => e.Key));
    }

    [Fact]
    public async Task Availability_of_an_unknown_service_is_404_and_of_a_walk_in_service_422()
    {
        var (branchId, cajaId) = await IdsAsync(Caja);
        await AssertProblemAsync(await Api().GetAsync($"/api/v1/availability?branchId={branchId}&serviceId=9999&date={Tomorrow()}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await Api().GetAsync($"/api/v1/availability?branchId={branchId}&serviceId={cajaId}&date={Tomorrow()}"), HttpStatusCode.UnprocessableEntity, "citas");
    }

    // ---- Appointments ----

    [Fact]
    public async Task Booking_answers_201_with_the_contract_and_a_location()
    {
        var start = await FreeSlotAsync(Asesoria, skip: 4);
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, start)));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var json = await JsonAsync(r);
        var code = json["code"]!.GetValue<string>();
        Assert.Equal($"/api/v1/appointments/{code}", r.Headers.Location?.OriginalString);
        Assert.Equal("Booked", json["status"]!.GetValue<string>());
        Assert.Equal(start, json["start"]!.GetValue<string>());
        Assert.Equal(Asesoria, json["serviceName"]!.GetValue<string>());
        Assert.Equal("Sede Centro", json["branchName"]!.GetValue<string>());
        Assert.Equal("Api", json["channel"]!.GetValue<string>());
        Assert.DoesNotContain("María", json.ToJsonString());

        var got = await JsonAsync(await Api().GetAsync($"/api/v1/appointments/{code.ToLowerInvariant()}"));
        Assert.Equal(code, got["code"]!.GetValue<string>());
        Assert.Equal(start, got["start"]!.GetValue<string>());

        await using var db = Db();
        var saved = await db.Appointments.AsNoTracking().SingleAsync(a => a.Code == code);
        Assert.Equal(Channel.Api, saved.Channel);
        Assert.Equal(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture).UtcDateTime, saved.Start);
        var slot = (await SlotsAsync(Asesoria, start[..10])).Single(s => s!["start"]!.GetValue<string>() == start)!;
        Assert.Equal(0, slot["free"]!.GetValue<int>());
    }

    [Fact]
    public async Task Booking_accepts_a_utc_instant_and_custom_intake_fields()
    {
        var local = await FreeSlotAsync(Tramites, skip: 10);
        var utc = DateTimeOffset.Parse(local, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Tramites, utc, intake: new { tramite = "Paz y salvo" })));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        Assert.Equal(local, (await JsonAsync(r))["start"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_custom_intake_field_is_400_naming_it()
    {
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Tramites, await FreeSlotAsync(Tramites, skip: 12))));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "intake.tramite" }, (await JsonAsync(r))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Invalid_customer_data_is_400_naming_the_json_fields_and_creates_nothing()
    {
        var (branchId, serviceId) = await IdsAsync(Asesoria);
        var body = new
        {
            branchId, serviceId, start = await FreeSlotAsync(Asesoria, skip: 14),
            customer = new { documentType = "CC", documentNumber = "12AB", fullName = "1", phone = "123", email = "maria@" },
            consent = new { dataProcessing = true },
        };
        var r = await Api().SendAsync(Post("/api/v1/appointments", body));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        var errors = (await JsonAsync(r))["errors"]!.AsObject();
        Assert.Equal(new[] { "customer.documentNumber", "customer.email", "customer.fullName", "customer.phone" }, errors.Select(e => e.Key).Order());
        Assert.Contains("solo números", errors["customer.documentNumber"]![0]!.GetValue<string>());

        await using var db = Db();
        Assert.False(await db.Customers.AnyAsync(c => c.FullName == "1"));
    }

    [Fact]
    public async Task An_unknown_document_type_is_400_naming_it()
    {
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, await FreeSlotAsync(Asesoria, skip: 15), documentType: "DNI")));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        var errors = (await JsonAsync(r))["errors"]!.AsObject();
        Assert.Equal(new[] { "customer.documentType" }, errors.Select(e => e.Key));
        Assert.Contains("CC", errors["customer.documentType"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-11-26T10:00:00")] // no offset: ambiguous
    [InlineData("mañana a las 10")]
    [InlineData(null)]
    public async Task A_start_without_an_offset_or_missing_is_400_naming_it(string? start)
    {
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, start!)));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "start" }, (await JsonAsync(r))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task The_same_idempotency_key_books_once()
    {
        var body = await BookingAsync(Asesoria, await FreeSlotAsync(Asesoria, skip: 16));
        var key = Guid.NewGuid().ToString();
        var first = await Api().SendAsync(Post("/api/v1/appointments", body, key));
        var second = await Api().SendAsync(Post("/api/v1/appointments", body, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var code = (await JsonAsync(first))["code"]!.GetValue<string>();
        Assert.Equal(code, (await JsonAsync(second))["code"]!.GetValue<string>());

        var document = JsonSerializer.SerializeToNode(body)!["customer"]!["documentNumber"]!.GetValue<string>();
        await using var db = Db();
        Assert.Equal(1, await db.Appointments.CountAsync(a => a.Customer!.Document!.Number == document));
    }

    [Fact]
    public async Task Without_an_idempotency_key_a_retry_is_a_new_request()
    {
        var document = NewDocument();
        var first = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, await FreeSlotAsync(Asesoria, skip: 18), document)));
        var second = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, await FreeSlotAsync(Asesoria, skip: 18), document)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual((await JsonAsync(first))["code"]!.GetValue<string>(), (await JsonAsync(second))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Booking_the_last_seat_twice_is_409()
    {
        var start = await FreeSlotAsync(Asesoria, skip: 20);
        Assert.Equal(HttpStatusCode.Created, (await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, start)))).StatusCode);
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, start)));
        await AssertProblemAsync(r, HttpStatusCode.Conflict, "se acaba de ocupar");
    }

    [Fact]
    public async Task Domain_rules_are_422_with_the_message()
    {
        var walkInOnly = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Caja, await FreeSlotAsync(Asesoria, skip: 22))));
        await AssertProblemAsync(walkInOnly, HttpStatusCode.UnprocessableEntity, "no recibe citas");

        var offGrid = DateTimeOffset.Parse(await FreeSlotAsync(Asesoria, skip: 22), CultureInfo.InvariantCulture).AddMinutes(7).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        var r = await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, offGrid)));
        await AssertProblemAsync(r, HttpStatusCode.UnprocessableEntity, "no está disponible");
    }

    [Fact]
    public async Task Booking_for_an_unknown_service_is_404()
    {
        var (branchId, _) = await IdsAsync(Asesoria);
        var body = new { branchId, serviceId = 9999, start = await FreeSlotAsync(Asesoria), customer = new { documentType = "CC", documentNumber = NewDocument() },
            consent = new { dataProcessing = true } };
        await AssertProblemAsync(await Api().SendAsync(Post("/api/v1/appointments", body)), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"branchId\": 1, \"serviceId\": ")]
    [InlineData("{\"branchId\": \"uno\", \"serviceId\": 3}")]
    [InlineData("{\"branchId\": 1, \"customer\": \"María\"}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public async Task Malformed_json_or_wrong_types_are_400_never_500(string json)
    {
        foreach (var url in new[] { "/api/v1/appointments", "/api/v1/tickets" })
        {
            var r = await Api().PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
            await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task A_wrong_type_names_the_field()
    {
        var r = await Api().PostAsync("/api/v1/appointments", new StringContent("{\"branchId\": \"uno\"}", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(r, HttpStatusCode.BadRequest, "branchId");
    }

    [Fact]
    public async Task Cancelling_frees_the_slot_and_is_idempotent()
    {
        var start = await FreeSlotAsync(Asesoria, skip: 24);
        var code = (await JsonAsync(await Api().SendAsync(Post("/api/v1/appointments", await BookingAsync(Asesoria, start)))))["code"]!.GetValue<string>();

        var r = await Api().DeleteAsync($"/api/v1/appointments/{code}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("Cancelled", (await JsonAsync(r))["status"]!.GetValue<string>());
        Assert.Equal("Cancelled", (await JsonAsync(await Api().GetAsync($"/api/v1/appointments/{code}")))["status"]!.GetValue<string>());
        var again = await Api().DeleteAsync($"/api/v1/appointments/{code}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Cancelled", (await JsonAsync(again))["status"]!.GetValue<string>());

        var slot = (await SlotsAsync(Asesoria, start[..10])).Single(s => s!["start"]!.GetValue<string>() == start)!;
        Assert.Equal(1, slot["free"]!.GetValue<int>());
        await using var db = Db();
        Assert.Equal(AppointmentStatus.Cancelled, (await db.Appointments.AsNoTracking().SingleAsync(a => a.Code == code)).Status);
    }

    [Theory]
    [InlineData("GET", "/api/v1/appointments/ZZZZZZZZ")]
    [InlineData("DELETE", "/api/v1/appointments/ZZZZZZZZ")]
    [InlineData("GET", "/api/v1/appointments/x")]
    [InlineData("GET", "/api/v1/tickets/zzzzzzzzzz")]
    public async Task Unknown_codes_are_404(string method, string url) =>
        await AssertProblemAsync(await Api().SendAsync(new HttpRequestMessage(new HttpMethod(method), url)), HttpStatusCode.NotFound, "No encontramos");

    // ---- Tickets ----

    [Fact]
    public async Task A_walk_in_ticket_is_201_with_its_place_and_no_personal_data()
    {
        var (branchId, serviceId) = await IdsAsync(Tramites);
        var r = await Api().PostAsJsonAsync("/api/v1/tickets", TramitesTicket(branchId, serviceId, "71234567"));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var json = await JsonAsync(r);
        var code = json["code"]!.GetValue<string>();
        Assert.Equal($"/api/v1/tickets/{code}", r.Headers.Location?.OriginalString);
        Assert.StartsWith("D-", json["number"]!.GetValue<string>());
        Assert.Equal("Waiting", json["status"]!.GetValue<string>());
        Assert.EndsWith($"/t/{code}", json["statusUrl"]!.GetValue<string>());
        Assert.NotNull(json["estimatedWaitMinutes"]);
        var ahead = json["peopleAhead"]!.GetValue<int>();
        Assert.DoesNotContain("phone", json.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("customer", json.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        var next = await JsonAsync(await Api().PostAsJsonAsync("/api/v1/tickets", TramitesTicket(branchId, serviceId, "71234568")));
        Assert.Equal(ahead + 1, next["peopleAhead"]!.GetValue<int>());

        await using var db = Db();
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Customer).SingleAsync(t => t.Code == code);
        Assert.Equal(Channel.Api, ticket.Channel);
        Assert.Equal("71234567", ticket.Customer!.Document?.Number);
        Assert.Contains("Certificado laboral", ticket.IntakeData);
    }

    static object TramitesTicket(int branchId, int serviceId, string document) => new
    {
        branchId, serviceId,
        customer = new { documentType = "CC", documentNumber = document, fullName = "Pedro Pablo León", phone = "3201234567" },
        intake = new { tramite = "Certificado laboral" },
        consent = new { dataProcessing = true },
    };

    [Fact]
    public async Task A_Tramites_ticket_without_intake_is_400_naming_the_fields()
    {
        var (branchId, serviceId) = await IdsAsync(Tramites);
        var r = await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId, customer = new { documentType = "CC", phone = "12" }, consent = new { dataProcessing = true } });
        await AssertProblemAsync(r, HttpStatusCode.BadRequest);
        var errors = (await JsonAsync(r))["errors"]!.AsObject();
        Assert.Equal(["customer.documentNumber", "customer.fullName", "customer.phone", "intake.tramite"], errors.Select(e => e.Key).Order().ToArray());
        Assert.Contains("celular", errors["customer.phone"]![0]!.GetValue<string>());

        var unknownType = await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId, customer = new { documentType = "XX" }, consent = new { dataProcessing = true } });
        Assert.NotNull((await JsonAsync(unknownType))["errors"]!["customer.documentType"]);
        await using var db = Db();
        Assert.False(await db.Tickets.AnyAsync(t => t.ServiceId == serviceId && t.CustomerId == null));
    }

    [Fact]
    public async Task Ticket_status_shows_the_counter_once_called()
    {
        var (branchId, serviceId) = await IdsAsync(Caja);
        var code = (await JsonAsync(await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId })))["code"]!.GetValue<string>();
        var waiting = await JsonAsync(await Api().GetAsync($"/api/v1/tickets/{code}"));
        Assert.Equal("Waiting", waiting["status"]!.GetValue<string>());
        Assert.Null(waiting["counter"]);

        // Ventanilla 2 serves Caja and Trámites; other tests' tickets may be ahead, so call until ours (one agent per call).
        await using (var db = Db())
        {
            var counterId = await db.Counters.Where(c => c.Name == "Ventanilla 2").Select(c => c.Id).SingleAsync();
            var queue = factory.Services.GetRequiredService<QueueService>();
            for (var i = 0; i < 50; i++)
                if ((await queue.CallNextAsync(counterId, $"api-test-agent-{i}"))?.Code == code) break;
        }
        var called = await JsonAsync(await Api().GetAsync($"/api/v1/tickets/{code}"));
        Assert.Equal("Called", called["status"]!.GetValue<string>());
        Assert.Equal("Ventanilla 2", called["counter"]!.GetValue<string>());
        Assert.Equal(0, called["peopleAhead"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_idempotency_key_issues_one_ticket()
    {
        var (branchId, serviceId) = await IdsAsync(Caja);
        var key = Guid.NewGuid().ToString();
        var first = await JsonAsync(await Api().SendAsync(Post("/api/v1/tickets", new { branchId, serviceId }, key)));
        var second = await JsonAsync(await Api().SendAsync(Post("/api/v1/tickets", new { branchId, serviceId }, key)));
        var other = await JsonAsync(await Api().SendAsync(Post("/api/v1/tickets", new { branchId, serviceId }, Guid.NewGuid().ToString())));
        Assert.Equal(first["code"]!.GetValue<string>(), second["code"]!.GetValue<string>());
        Assert.NotEqual(first["code"]!.GetValue<string>(), other["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_ticket_for_a_schedulable_only_service_is_422_and_for_an_unknown_one_404()
    {
        var (branchId, serviceId) = await IdsAsync(Asesoria);
        var walkIn = await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId });
        await AssertProblemAsync(walkIn, HttpStatusCode.UnprocessableEntity, "sin cita");
        Assert.Equal("Service.NoWalkIns", (await JsonAsync(walkIn))["code"]!.GetValue<string>()); // the domain error's stable code
        await AssertProblemAsync(await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId = 9999 }), HttpStatusCode.NotFound);
        var missing = await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId });
        await AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.NotNull((await JsonAsync(missing))["errors"]!["serviceId"]);
    }

    // ---- Admin page ----

    [Theory]
    [InlineData(null, HttpStatusCode.Redirect, "/account/login")]
    [InlineData("agente1@demo.turno", HttpStatusCode.Redirect, "/account/access-denied")]
    [InlineData("admin@demo.turno", HttpStatusCode.OK, null)]
    public async Task Only_admins_see_the_api_keys_page(string? email, HttpStatusCode expected, string? redirect)
    {
        var browser = factory.Browser();
        if (email is not null) await browser.LoginAsync(email);
        var r = await browser.GetAsync("/admin/api-keys");
        Assert.Equal(expected, r.StatusCode);
        if (redirect is not null) { Assert.Contains(redirect, r.Headers.Location?.OriginalString); return; }
        var page = await r.HtmlAsync();
        Assert.Contains("Claves de la API REST", page);
        Assert.Contains(TurnoWebFactory.ApiKey[..8], page); // the demo key, by its prefix
        Assert.DoesNotContain(TurnoWebFactory.ApiKey, page);
    }
}
