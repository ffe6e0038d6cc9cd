using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Queueing;

/// <summary>Real HTTP: a day closed early by a supervisor reads on /fila like after closing time, with the next opening.</summary>
public class DayClosedScreensTests(DayClosedScreensTests.Factory factory) : IClassFixture<DayClosedScreensTests.Factory>
{
    /// <summary>Open 8:00–17:00 every day; the test clock starts Wednesday 10:00, inside the hours.</summary>
    public sealed class Factory : BuiltWebFactory
    {
        protected override async Task SeedAsync(IServiceProvider services)
        {
            await services.SaveAsync(A.Branch("Sede Prueba").Open(8 * 60, 17 * 60).With(A.Service("Caja").WalkIn().Remote()).WithCounter("Ventanilla 1"));
            await services.UserAsync("supervisora@prueba.turno", Roles.Supervisor);
        }
    }

    [Fact]
    public async Task After_a_supervisor_closes_the_day_fila_shows_the_branch_closed_until_its_next_opening()
    {
        int branchId;
        string supervisor;
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            branchId = await db.Branches.Select(b => b.Id).SingleAsync();
            supervisor = await db.Users.Where(u => u.Email == "supervisora@prueba.turno").Select(u => u.Id).SingleAsync();
        }
        var before = await factory.Browser().GetHtmlAsync($"/fila/{branchId}");
        Assert.Contains("Abierta ahora", before);
        Assert.Contains("Tomar turno", before);

        await factory.Services.GetRequiredService<QueueService>().CloseDayAsync(branchId, supervisor, "Corte de energía");

        // No ticket was left to end: the close's own live event makes the page read the branch again.
        var after = await factory.Browser().GetHtmlAsync($"/fila/{branchId}");
        Assert.Contains("Cerrada en este momento", after);
        Assert.Contains("abre el jueves 26 de noviembre a las 8:00 a. m.", after); // not later today: the day is over
        Assert.DoesNotContain("Tomar turno", after);
    }
}
