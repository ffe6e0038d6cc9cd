using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Tests.Web.Queueing;

/// <summary>The public virtual-queue page /fila/{branch}: counts and room, never who is waiting.</summary>
public class FilaPageTests(FilaPageTests.Factory factory) : IClassFixture<FilaPageTests.Factory>
{
    /// <summary>Caja takes remote tickets live at once, Trámites after arrival; Información none; Asesoría is appointments only.</summary>
    public sealed class Factory : BuiltWebFactory
    {
        protected override Task SeedAsync(IServiceProvider services) => services.SaveAsync(A.Branch("Sede Prueba")
            .With(A.Service("Caja").WalkIn().Remote(RemoteArrivalRule.LiveAtOnce),
                A.Service("Información", "B").WalkIn(),
                A.Service("Asesoría de créditos", "C").Schedulable(),
                A.Service("Trámites y certificados", "D").Both().Remote(RemoteArrivalRule.ConfirmArrival).StandardIntake())
            .WithCounter("Ventanilla 1"));
    }

    async Task<(int BranchId, int TramitesId, int CajaId)> BranchAsync()
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var services = await db.Services.AsNoTracking().ToListAsync();
        return (services[0].BranchId, services.Single(s => s.Name == "Trámites y certificados").Id, services.Single(s => s.Name == "Caja").Id);
    }

    [Fact]
    public async Task Shows_each_walk_in_line_with_its_count_and_the_remote_button_but_no_personal_data()
    {
        var (branchId, tramitesId, cajaId) = await BranchAsync();
        var queue = factory.Services.GetRequiredService<QueueService>();
        await queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, tramitesId, Channel.Web, Guid.NewGuid(), null, true, true,
            new IntakeInput(DocumentType.CC, "79111222", "Rigoberto Pérez", "3157654321", null)));
        await queue.IssueRemoteAsync(new RemoteTicketRequest(branchId, cajaId, Channel.WhatsApp, Guid.NewGuid(), "3164443322", true, true));
        await queue.IssueAsync(new IssueTicketRequest(branchId, cajaId, Channel.Kiosk, Guid.NewGuid()));

        var r = await factory.Browser().GetAsync($"/fila/{branchId}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.HtmlAsync();
        Assert.Contains("Sede Prueba", html);
        Assert.Contains("Abierta ahora", html);
        var caja = Section(html, cajaId);
        Assert.Contains("data-testid=\"waiting\">2<", caja); // the kiosk ticket and the live-at-once remote one
        Assert.Contains("Tomar turno", caja);
        var tramites = Section(html, tramitesId);
        Assert.Contains("data-testid=\"waiting\">0<", tramites); // the remote ticket is not in line until it arrives
        Assert.Contains("confirme en el kiosco", tramites);
        var info = Section(html, (await factory.Services.GetRequiredService<QueueQueries>().GetPublicBranchAsync(branchId))!
            .Lines.Single(l => l.Line.Name == "Información").Line.Id);
        Assert.DoesNotContain("Tomar turno", info); // not allowed for that service
        Assert.DoesNotContain("Asesoría de créditos", html); // appointments only: not a line
        foreach (var personal in new[] { "Rigoberto", "Pérez", "79111222", "3157654321", "3164443322", "573157654321", "573164443322" })
            Assert.DoesNotContain(personal, html);
    }

    static string Section(string html, int serviceId)
    {
        var start = html.IndexOf($"data-service=\"{serviceId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"service {serviceId} not on the page");
        var end = html.IndexOf("</li>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [Fact]
    public async Task An_unknown_branch_is_a_friendly_404_page()
    {
        var r = await factory.Browser().GetAsync("/fila/987654");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("No encontramos esta página", await r.HtmlAsync()); // the app's friendly not-found page
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Browser().GetAsync("/fila/0")).StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, (await factory.Browser().GetAsync("/fila/99999999999")).StatusCode);
    }

    [Fact]
    public async Task The_page_is_in_the_public_rate_limit_bucket()
    {
        await factory.Browser().GetAsync("/fila/1"); // builds the endpoints
        var endpoint = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/fila/{BranchId:int}");
        Assert.Equal(RateLimits.Public, endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName);
    }
}
