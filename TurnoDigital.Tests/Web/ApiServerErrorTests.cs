using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>An unexpected failure under /api answers problem JSON (Spanish title, trace id), not the HTML error page or a stack trace.</summary>
public class ApiServerErrorTests
{
    [Fact]
    public async Task A_broken_database_under_the_api_answers_problem_json_with_a_trace_id()
    {
        using var factory = new TurnoWebFactory();
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/branches")).StatusCode);

        // A real fault, not a test hook: the table the endpoint reads is gone (the key check still finds its own table).
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE Branches RENAME TO BranchesGone");

        var response = await client.GetAsync("/api/v1/branches");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Error interno", body["title"]!.GetValue<string>());
        Assert.Equal(500, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["traceId"]?.GetValue<string>()));
        var text = body.ToJsonString();
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(" at ", text);
    }
}
