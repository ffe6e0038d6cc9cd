using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Identity;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Tests.Web.Security;

/// <summary>
/// A change of roles, branches or a disable reaches sessions that are already open: the sign-in cookie on its next
/// request after the one-minute stamp check, and an open Blazor circuit through <see cref="StaffRevalidation"/>
/// (driven here with a short interval, outside a browser: the provider's own revalidation loop).
/// </summary>
public class StaffSessionTests(StaffSessionTests.Factory factory) : IClassFixture<StaffSessionTests.Factory>
{
    public sealed class Factory : BuiltWebFactory
    {
        protected override async Task SeedAsync(IServiceProvider services)
        {
            await services.SaveAsync(A.Branch().With(A.Service("Caja").WalkIn()).WithCounter("Ventanilla 1"));
            await services.UserAsync("jefa@demo.turno", Roles.Admin);
            await services.UserAsync("agente@demo.turno", Roles.Agent); // the role a demotion moves to
            await services.UserAsync("sinsede@demo.turno", Roles.Agent, allBranches: false);
        }
    }

    StaffAdmin Staff => factory.Services.GetRequiredService<StaffAdmin>();

    async Task<string> NewAdminAsync(string email) =>
        await Staff.CreateAsync(email, "Administradora", [Roles.Admin], TurnoWebFactory.Password, BranchGrant.All, "jefa");

    async Task<ClaimsPrincipal> SignedInAsync(string userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync((await users.FindByIdAsync(userId))!);
        return new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, IdentityConstants.ApplicationScheme));
    }

    /// <summary>The circuit's provider with the app's services and a short interval; resolves with the state it moves to.</summary>
    sealed class Circuit : IDisposable
    {
        readonly StaffRevalidation provider;
        public TaskCompletionSource<AuthenticationState> Changed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Circuit(IServiceProvider services, ClaimsPrincipal user)
        {
            provider = new StaffRevalidation(services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IServiceScopeFactory>(),
                Options.Create(new SecurityStampValidatorOptions { ValidationInterval = TimeSpan.FromMilliseconds(100) }));
            // Setting the state announces it too: listen only to what comes after.
            provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
            provider.AuthenticationStateChanged += async state => Changed.TrySetResult(await state);
        }

        public void Dispose() => ((IDisposable)provider).Dispose();
    }

    [Fact]
    public async Task A_demoted_admins_open_circuit_is_signed_out_within_the_revalidation_interval()
    {
        var id = await NewAdminAsync("degradada@demo.turno");
        using var circuit = new Circuit(factory.Services, await SignedInAsync(id));
        Assert.False(circuit.Changed.Task.IsCompleted);

        await Staff.SetRolesAsync(id, [Roles.Agent], "jefa");
        var after = await circuit.Changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(after.User.Identity?.IsAuthenticated);
        Assert.False(after.User.IsInRole(Roles.Admin));
    }

    [Theory]
    [InlineData("branches")]
    [InlineData("disable")]
    public async Task A_change_of_branches_or_a_disable_also_ends_the_open_circuit(string change)
    {
        var id = await NewAdminAsync($"cambio-{change}@demo.turno");
        using var circuit = new Circuit(factory.Services, await SignedInAsync(id));
        if (change == "branches") await Staff.SetBranchesAsync(id, BranchGrant.None, "jefa");
        else await Staff.SetDisabledAsync(id, true, "jefa");
        var after = await circuit.Changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(after.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task An_unchanged_user_keeps_the_circuit_and_the_stamp_check_passes()
    {
        var id = await NewAdminAsync("intacta@demo.turno");
        var principal = await SignedInAsync(id);
        await Staff.SetRolesAsync(id, [Roles.Admin], "jefa"); // a save without a change
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.True(await StaffRevalidation.IsStillValidAsync(scope.ServiceProvider, principal));
    }

    [Fact]
    public async Task A_demoted_admins_browser_loses_admin_pages_once_the_stamp_interval_passes()
    {
        var id = await NewAdminAsync("navegador@demo.turno");
        var browser = factory.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync("navegador@demo.turno")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/users")).StatusCode);

        await Staff.SetRolesAsync(id, [Roles.Agent], "jefa");
        factory.Clock.Jump(StaffRevalidation.Interval + TimeSpan.FromSeconds(5));
        var r = await browser.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/account/login", r.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task An_agent_without_branches_gets_no_counter_and_a_clear_message_until_given_one()
    {
        var agent = factory.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await agent.LoginAsync("sinsede@demo.turno")).StatusCode);
        var desk = await agent.GetHtmlAsync("/desk");
        Assert.Contains("No tiene ventanillas disponibles", desk);
        Assert.DoesNotContain("data-counter=\"Ventanilla 1\"", desk);

        var id = (await Staff.ListAsync()).Single(u => u.Email == "sinsede@demo.turno").Id;
        await Staff.SetBranchesAsync(id, BranchGrant.All, "jefa");
        var again = factory.Browser();
        await again.LoginAsync("sinsede@demo.turno");
        desk = await again.GetHtmlAsync("/desk");
        Assert.Contains("data-counter=\"Ventanilla 1\"", desk);
        Assert.DoesNotContain("No tiene ventanillas disponibles", desk);
    }
}
