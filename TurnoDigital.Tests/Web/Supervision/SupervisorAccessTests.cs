using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Supervision;

/// <summary>The supervisor screens over HTTP: agents are turned away, a supervisor sees only their branches.</summary>
public class SupervisorAccessTests(SupervisorAccessTests.Factory factory) : IClassFixture<SupervisorAccessTests.Factory>
{
    /// <summary>Sede Centro (Caja) with an agent, a supervisor and an admin.</summary>
    public sealed class Factory : BuiltWebFactory
    {
        protected override async Task SeedAsync(IServiceProvider services)
        {
            await services.SaveAsync(A.Branch("Sede Centro").With(A.Service("Caja").WalkIn()).WithCounter("Ventanilla 1"));
            await services.UserAsync("agente1@demo.turno", Roles.Agent);
            await services.UserAsync("supervisor@demo.turno", Roles.Supervisor);
            await services.UserAsync("admin@demo.turno", Roles.Admin);
        }
    }

    static readonly string[] Pages = ["/supervisor", "/supervisor/journey", "/supervisor/whatsapp", "/supervisor/staffing"];

    [Fact]
    public async Task An_agent_is_denied_and_an_anonymous_visitor_sent_to_the_login()
    {
        var agent = factory.Browser();
        await agent.LoginAsync("agente1@demo.turno");
        foreach (var page in Pages)
        {
            var r = await agent.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.StartsWith("/account/access-denied", r.Headers.Location!.PathAndQuery());
            var anonymous = await factory.Browser().GetAsync(page);
            Assert.StartsWith("/account/login", anonymous.Headers.Location!.PathAndQuery());
        }
        Assert.DoesNotContain("supervision-menu", await agent.GetHtmlAsync("/")); // no menu either
    }

    [Fact]
    public async Task A_supervisor_of_one_branch_sees_that_branch_only_and_the_admin_sees_both()
    {
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            var norte = new Branch { Name = "Sede Norte", Hours = Branch.AllWeek(0, 24 * 60) };
            db.Branches.Add(norte);
            await db.SaveChangesAsync();
            var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
            supervisor.AllBranches = false;
            db.UserBranches.Add(new UserBranch { UserId = supervisor.Id, BranchId = norte.Id });
            await db.SaveChangesAsync();
        }
        var client = factory.Browser();
        await client.LoginAsync("supervisor@demo.turno");
        foreach (var page in new[] { "/supervisor", "/supervisor/whatsapp", "/supervisor/staffing" })
        {
            var html = await client.GetHtmlAsync(page);
            Assert.Contains("Sede Norte", html);
            Assert.DoesNotContain("Sede Centro", html);
            Assert.DoesNotContain("Caja", html); // Sede Centro's services
        }
        Assert.Contains("supervision-menu", await client.GetHtmlAsync("/")); // the menu of the supervisor screens

        var admin = factory.Browser();
        await admin.LoginAsync("admin@demo.turno");
        var panel = await admin.GetHtmlAsync("/supervisor");
        Assert.Contains("Caja", panel); // first branch by name: Sede Centro, with the picker offering both
        Assert.Contains("branch-picker", panel);
    }
}
