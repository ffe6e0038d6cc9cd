using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Tests.Support;
using UglyToad.PdfPig;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Web;

/// <summary>Who may download which report, and bad query input answered with 400 and a Spanish message.</summary>
public class ReportAccessTests(ReportAccessTests.Factory factory) : IClassFixture<ReportAccessTests.Factory>
{
    public sealed class Factory : TurnoWebFactory;

    string Today => factory.Today.ToString("yyyy-MM-dd");

    Task<(int Centro, int Norte)> BranchesAsync() => factory.SupervisorOfCentroOnlyAsync();

    async Task<HttpClient> StaffAsync(string email)
    {
        var client = factory.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(email)).StatusCode);
        return client;
    }

    [Fact]
    public async Task An_agent_is_turned_away_from_the_page_and_the_export()
    {
        var agent = await StaffAsync("agente1@demo.turno");
        foreach (var url in new[] { "/supervisor/reports", $"/supervisor/reports/export?from={Today}&to={Today}&format=pdf" })
        {
            var r = await agent.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            var location = r.Headers.Location!;
            Assert.StartsWith("/account/access-denied", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        }
    }

    [Fact]
    public async Task A_supervisor_only_gets_their_branches()
    {
        var (centro, norte) = await BranchesAsync();
        var supervisor = await StaffAsync("supervisor@demo.turno");

        var other = await supervisor.GetAsync($"/supervisor/reports/export?from={Today}&to={Today}&branchId={norte}&format=pdf");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("No tiene acceso", await other.Content.ReadAsStringAsync());

        // No branch chosen = the supervisor's own branches only.
        var mine = await supervisor.GetAsync($"/supervisor/reports/export?from={Today}&to={Today}&format=pdf");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("application/pdf", mine.Content.Headers.ContentType!.MediaType);
        using (var pdf = PdfDocument.Open(await mine.Content.ReadAsByteArrayAsync()))
        {
            var cover = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("Sede Centro", cover);
            Assert.DoesNotContain("Sede Norte", cover);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync($"/supervisor/reports/daily/{norte}/{Today}")).StatusCode);

        // The admin sees every branch; each export is in the audit trail.
        var admin = await StaffAsync("admin@demo.turno");
        var both = await admin.GetAsync($"/supervisor/reports/export?from={Today}&to={Today}&branchId={centro}&branchId={norte}&format=csv");
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        Assert.Equal("application/zip", both.Content.Headers.ContentType!.MediaType);
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var audits = await db.AuditEntries.Where(a => a.Action == AuditActions.ReportExported).ToListAsync();
        Assert.Contains(audits, a => a.Details!.Contains("\"pdf\"") && a.BranchId == centro);
        Assert.Contains(audits, a => a.Details!.Contains("\"zip\"") && a.Details.Contains($"[{centro},{norte}]"));
    }

    [Theory]
    [InlineData("from=2026-11-20&to=2026-11-19", "posterior")]
    [InlineData("from=2025-01-01&to=2026-06-30", "366 días")]
    [InlineData("from=ayer&to=2026-11-19", "AAAA-MM-DD")]
    [InlineData("from=2026-11-20&to=2026-11-20&branchId=99999", "no existe")]
    [InlineData("from=2026-11-20&to=2026-11-20&serviceId=x", "no es válido")]
    [InlineData("from=2026-11-20&to=2026-11-20&format=xlsx", "formato")]
    public async Task Bad_input_is_400_with_a_spanish_message(string query, string fragment)
    {
        var admin = await StaffAsync("admin@demo.turno");
        var page = await admin.GetAsync($"/supervisor/reports/export?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(fragment, await page.Content.ReadAsStringAsync());

        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        var r = await api.GetAsync($"/api/v1/reports/channels?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType!.MediaType);
        Assert.Contains(fragment, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_api_needs_the_reports_scope_and_answers_pdf_or_csv()
    {
        var (_, key) = await factory.Services.GetRequiredService<ApiKeyService>().CreateAsync("Solo turnos", [ApiScopes.Tickets]);
        var noScope = factory.CreateClient();
        noScope.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Forbidden, (await noScope.GetAsync($"/api/v1/reports/channels?from={Today}&to={Today}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync($"/api/v1/reports/channels?from={Today}&to={Today}")).StatusCode);

        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        var pdfRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/channels?from={Today}&to={Today}");
        pdfRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        var pdf = await api.SendAsync(pdfRequest);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("%PDF", Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/channels?from={Today}&to={Today}");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await api.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFcanal;visitas;participacion_pct", text);
        Assert.Contains("\r\nWhatsApp;", text);
    }

    [Fact]
    public async Task The_daily_job_stores_a_pdf_that_is_listed_and_downloaded_and_paths_cannot_escape()
    {
        var (centro, _) = await BranchesAsync();
        var job = ActivatorUtilities.CreateInstance<DailyReportJob>(factory.Services, NullLogger<DailyReportJob>.Instance);
        await job.RunAsync();
        var again = await job.RunAsync(); // idempotent: files exist now
        Assert.Equal(0, again);
        var archive = factory.Services.GetRequiredService<ReportArchive>();
        var day = Assert.Single((await archive.DaysAsync([centro]))[centro].Take(1));

        var supervisor = await StaffAsync("supervisor@demo.turno");
        var page = await supervisor.GetHtmlAsync("/supervisor/reports");
        Assert.Contains($"/supervisor/reports/daily/{centro}/{day:yyyy-MM-dd}", page);
        var file = await supervisor.GetAsync($"/supervisor/reports/daily/{centro}/{day:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await archive.ReadAsync(centro, day), await file.Content.ReadAsByteArrayAsync()); // served from the database

        foreach (var bad in new[] { "..%2F..%2Fturno.db", "2026-11-20.pdf", "%2e%2e" })
            Assert.True((await supervisor.GetAsync($"/supervisor/reports/daily/{centro}/{bad}")).StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
    }
}
