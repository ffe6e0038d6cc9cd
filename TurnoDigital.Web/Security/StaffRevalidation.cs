using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Identity;

namespace TurnoDigital.Web.Security;

/// <summary>
/// An open Blazor circuit keeps the principal it started with: every interval (a minute) it checks that the
/// staff user still exists, is not disabled and has the same security stamp (a change of roles or branches, a reset
/// or a disable renews it), and signs the screen out otherwise. Devices end through their own revocation event.
/// </summary>
public sealed class StaffRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<SecurityStampValidatorOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // The same interval as the cookie's stamp check: a page load and an open circuit learn of a change equally soon.
    protected override TimeSpan RevalidationInterval => options.Value.ValidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await IsStillValidAsync(scope.ServiceProvider, state.User);
    }

    public static async Task<bool> IsStillValidAsync(IServiceProvider services, ClaimsPrincipal principal)
    {
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var stamp = principal.FindFirstValue(stampClaim);
        if (stamp is null) return true; // anonymous or a device
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(principal);
        return user is not null && !await users.IsLockedOutAsync(user) && stamp == await users.GetSecurityStampAsync(user);
    }
}

public static class StaffRevalidationSetup
{
    /// <summary>Circuits and cookies of a demoted or disabled user stop working within a minute, not Identity's default 30.</summary>
    public static IServiceCollection AddStaffRevalidation(this IServiceCollection services)
    {
        services.AddScoped<AuthenticationStateProvider, StaffRevalidation>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = StaffRevalidation.Interval);
        return services;
    }
}
