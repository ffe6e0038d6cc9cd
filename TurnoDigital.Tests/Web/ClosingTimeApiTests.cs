using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>Real HTTP: once the day is closed the REST API refuses new tickets with a clear 422 naming the next opening.</summary>
public class ClosingTimeApiTests(ClosingTimeApiTests.Factory factory) : IClassFixture<ClosingTimeApiTests.Factory>
{
    public sealed class Factory : TurnoWebFactory;

    [Fact]
    public async Task After_a_supervisor_closes_the_day_the_api_issues_no_ticket_and_says_when_the_branch_opens()
    {
        int branchId, serviceId;
        string supervisor;
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            (branchId, serviceId) = await db.Services.Where(s => s.Name == "Caja").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
            supervisor = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
        }
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId })).StatusCode);

        await factory.Services.GetRequiredService<QueueService>().CloseDayAsync(branchId, supervisor, "Fin de jornada");

        var refused = await api.PostAsJsonAsync("/api/v1/tickets", new { branchId, serviceId });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var detail = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.StartsWith("La sede ya cerró el día y no entrega más turnos hoy. Vuelve a abrir el ", detail);
        Assert.EndsWith("a las 12:00 a. m.", detail); // the demo branch opens all day: tomorrow at midnight
    }
}
