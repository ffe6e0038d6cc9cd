using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>Ley 1581 on the REST API: personal data needs an explicit consent.dataProcessing = true, recorded with the API text's version.</summary>
public class ApiConsentTests(ApiConsentTests.Factory factory) : IClassFixture<ApiConsentTests.Factory>
{
    public sealed class Factory : TurnoWebFactory;

    HttpClient Api()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        return client;
    }

    TurnoDbContext Db() => factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();

    async Task<(int BranchId, int ServiceId)> IdsAsync(string name)
    {
        await using var db = Db();
        return await db.Services.Where(s => s.Name == name).Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
    }

    async Task<string> FreeSlotAsync(int branchId, int serviceId, int skip)
    {
        var day = factory.Today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var json = JsonNode.Parse(await Api().GetStringAsync($"/api/v1/availability?branchId={branchId}&serviceId={serviceId}&date={day}"))!;
        return json["slots"]!.AsArray().Where(s => s!["free"]!.GetValue<int>() > 0).Skip(skip).First()!["start"]!.GetValue<string>();
    }

    static object Customer(string document) => new { documentType = "CC", documentNumber = document, fullName = "Laura Ríos", phone = "3157770000", email = "laura@example.co" };

    static async Task AssertConsentProblemAsync(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType!.MediaType);
        var errors = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("Ley 1581", Assert.Single(errors, e => e.Key == "consent.dataProcessing").Value![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_booking_without_an_explicit_data_consent_is_400_naming_the_field_and_creates_nothing()
    {
        var (branchId, serviceId) = await IdsAsync("Asesoría de créditos");
        var start = await FreeSlotAsync(branchId, serviceId, 0);
        await AssertConsentProblemAsync(await Api().PostAsJsonAsync("/api/v1/appointments", new { branchId, serviceId, start, customer = Customer("63000001") }));
        await AssertConsentProblemAsync(await Api().PostAsJsonAsync("/api/v1/appointments",
            new { branchId, serviceId, start, customer = Customer("63000001"), consent = new { dataProcessing = false, whatsApp = true } }));
        await using (var db = Db()) Assert.False(await db.Customers.AnyAsync(c => c.Document!.Number == "63000001"));

        var ok = await Api().PostAsJsonAsync("/api/v1/appointments",
            new { branchId, serviceId, start, customer = Customer("63000001"), consent = new { dataProcessing = true } });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        await using var check = Db();
        var customer = await check.Customers.Include(c => c.Consents).SingleAsync(c => c.Document!.Number == "63000001");
        var consent = Assert.Single(customer.Consents);
        Assert.Equal((ConsentRecord.DataProcessing, Channel.Api, ConsentTexts.Api), (consent.Purpose, consent.Channel, consent.TextVersion));
    }

    [Fact]
    public async Task A_walk_in_ticket_needs_the_consent_only_when_it_carries_personal_data()
    {
        var (branchId, serviceId) = await IdsAsync("Trámites y certificados");
        var intake = new { tramite = "Paz y salvo" };
        await AssertConsentProblemAsync(await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId, customer = Customer("63000002"), intake }));

        var ok = await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId, customer = Customer("63000002"), intake, consent = new { dataProcessing = true } });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        await using (var db = Db())
        {
            var customer = await db.Customers.Include(c => c.Consents).SingleAsync(c => c.Document!.Number == "63000002");
            Assert.Equal(ConsentTexts.Api, Assert.Single(customer.Consents, c => c.Purpose == ConsentRecord.DataProcessing).TextVersion);
        }
        var (cajaBranch, caja) = await IdsAsync("Caja");
        Assert.Equal(HttpStatusCode.Created, (await Api().PostAsJsonAsync("/api/v1/tickets", new { branchId = cajaBranch, serviceId = caja })).StatusCode);
    }
}
