using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>Issue 15 §5: the staffing page and its CSV, for the supervisor's own branches; bad input answered with 400 in Spanish.</summary>
public class StaffingAccessTests(StaffingAccessTests.Factory factory) : IClassFixture<StaffingAccessTests.Factory>
{
    public sealed class Factory : TurnoWebFactory;

    Task<(int Centro, int Norte)> BranchesAsync() => factory.SupervisorOfCentroOnlyAsync();

    async Task<HttpClient> StaffAsync(string email)
    {
        var client = factory.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(email)).StatusCode);
        return client;
    }

    [Fact]
    public async Task A_supervisor_gets_the_csv_of_their_branch_and_not_of_another()
    {
        var (centro, norte) = await BranchesAsync();
        var supervisor = await StaffAsync("supervisor@demo.turno");

        var other = await supervisor.GetAsync($"/supervisor/staffing/export?branchId={norte}&weekday=1");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("No tiene acceso", await other.Content.ReadAsStringAsync());

        var mine = await supervisor.GetAsync($"/supervisor/staffing/export?branchId={centro}&weekday=1&weeks=4");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("text/csv", mine.Content.Headers.ContentType!.MediaType);
        var bytes = await mine.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(';', StaffingCsv.Header), lines[0]);
        // One row per service and one total per opening hour of a Monday (the test branch is open around the clock).
        var services = await factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext()
            .Services.CountAsync(s => s.BranchId == centro && s.IsActive);
        Assert.Equal(24, lines.Count(l => l.Contains(";Total;")));
        Assert.Equal(24 * (services + 1), lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith("08:00;Total;"));
    }

    [Theory]
    [InlineData("weekday=1", "Indique la sede")]
    [InlineData("branchId=1", "día de la semana")]
    [InlineData("branchId=1&weekday=7", "día de la semana")]
    [InlineData("branchId=1&weekday=lunes", "día de la semana")]
    [InlineData("branchId=1&weekday=1&weeks=0", "semanas observadas")]
    [InlineData("branchId=1&weekday=1&weeks=99", "semanas observadas")]
    public async Task Bad_input_gets_a_clear_spanish_error(string query, string message)
    {
        var admin = await StaffAsync("admin@demo.turno");
        var r = await admin.GetAsync($"/supervisor/staffing/export?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains(message, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_shows_the_forecast_basis_and_an_hour_per_row()
    {
        await BranchesAsync();
        var page = await (await StaffAsync("supervisor@demo.turno")).GetHtmlAsync("/supervisor/staffing");
        Assert.Contains("Dotación sugerida", page);
        Assert.Contains("data-testid=\"staffing-basis\"", page);
        Assert.Contains("Erlang C", page);
        Assert.Contains("data-hour=\"8\"", page);
    }
}
