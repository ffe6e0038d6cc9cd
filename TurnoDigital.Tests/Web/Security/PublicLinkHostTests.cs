using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Security;

/// <summary>Links people receive come from WhatsApp:PublicBaseUrl: a spoofed Host or X-Forwarded-Host never ends up in one.</summary>
public class PublicLinkHostTests(PublicLinkHostTests.Factory factory) : IClassFixture<PublicLinkHostTests.Factory>
{
    const string Base = "https://turnos.example.co", Evil = "evil.example";

    public sealed class Factory : TurnoWebFactory
    {
        public RemoteAddressFromHeader Remote { get; } = new();

        public Factory()
        {
            Settings = new Dictionary<string, string> { ["WhatsApp:PublicBaseUrl"] = Base };
            ConfigureTestServices = s => s.AddSingleton<IStartupFilter>(Remote);
        }
    }

    /// <summary>What an attacker sends: a foreign Host, and the forwarded host and address as if through a proxy on this machine.</summary>
    HttpRequestMessage Spoofed(HttpMethod method, string path, object? json = null)
    {
        var r = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonContent.Create(json) };
        r.Headers.Host = Evil;
        r.Headers.Add("X-Forwarded-Host", Evil);
        r.Headers.Add("X-Forwarded-Proto", "http");
        r.Headers.Add(RemoteAddressFromHeader.Header, "127.0.0.1");
        r.Headers.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        return r;
    }

    async Task<string> SendAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected)
    {
        var r = await client.SendAsync(request);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(expected == r.StatusCode, $"{request.RequestUri}: {r.StatusCode} {body}");
        Assert.Equal(Evil, factory.Remote.LastHost); // the app did receive the spoofed host
        Assert.DoesNotContain(Evil, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Evil, r.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        return body;
    }

    [Fact]
    public async Task Api_responses_pages_and_the_calendar_file_link_to_the_configured_base_only()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        int branchId, tramites, asesoria;
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            branchId = await db.Branches.Select(b => b.Id).FirstAsync();
            tramites = await db.Services.Where(s => s.Name == "Trámites y certificados").Select(s => s.Id).SingleAsync();
            asesoria = await db.Services.Where(s => s.Name == "Asesoría de créditos").Select(s => s.Id).SingleAsync();
        }
        var customer = new { documentType = "CC", documentNumber = "55443322", fullName = "Lina Prueba", phone = "3001112233", email = "lina@example.co" };

        var ticket = JsonNode.Parse(await SendAsync(client, Spoofed(HttpMethod.Post, "/api/v1/tickets",
            new { branchId, serviceId = tramites, customer, intake = new { tramite = "Paz y salvo" }, consent = new { dataProcessing = true } }), HttpStatusCode.Created))!;
        var ticketCode = ticket["code"]!.GetValue<string>();
        Assert.Equal($"{Base}/t/{ticketCode}", ticket["statusUrl"]!.GetValue<string>());
        Assert.Equal($"{Base}/t/{ticketCode}",
            JsonNode.Parse(await SendAsync(client, Spoofed(HttpMethod.Get, $"/api/v1/tickets/{ticketCode}"), HttpStatusCode.OK))!["statusUrl"]!.GetValue<string>());

        var date = factory.Today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var slots = JsonNode.Parse(await SendAsync(client, Spoofed(HttpMethod.Get, $"/api/v1/availability?branchId={branchId}&serviceId={asesoria}&date={date}"), HttpStatusCode.OK))!["slots"]!.AsArray();
        var start = slots.First(s => s!["free"]!.GetValue<int>() > 0)!["start"]!.GetValue<string>();
        var appointment = JsonNode.Parse(await SendAsync(client, Spoofed(HttpMethod.Post, "/api/v1/appointments",
            new { branchId, serviceId = asesoria, start, customer, consent = new { dataProcessing = true } }), HttpStatusCode.Created))!;
        var code = appointment["code"]!.GetValue<string>();
        Assert.Equal($"{Base}/cita/{code}", appointment["manageUrl"]!.GetValue<string>());

        var ics = await SendAsync(client, Spoofed(HttpMethod.Get, $"/cita/{code}/ics"), HttpStatusCode.OK);
        Assert.Contains($"{Base}/cita/{code}", ics.Replace("\r\n ", "")); // lines fold at 75 octets
        foreach (var page in new[] { $"/t/{ticketCode}", $"/cita/{code}", $"/fila/{branchId}", "/book", "/account/login" })
            Assert.Contains("<html", await SendAsync(client, Spoofed(HttpMethod.Get, page), HttpStatusCode.OK));
    }
}
