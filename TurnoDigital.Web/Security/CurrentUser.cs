using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace TurnoDigital.Web.Security;

/// <summary>The one way to read who is signed in: the staff user's id, recorded as the actor of audited changes.</summary>
public static class CurrentUser
{
    /// <summary>The staff user's id (the name-identifier claim); null for anonymous users, devices and API keys.</summary>
    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The signed-in staff user's id in a component.</summary>
    public static async Task<string?> IdAsync(this Task<AuthenticationState>? state) =>
        state is null ? null : (await state).User.UserId();
}
