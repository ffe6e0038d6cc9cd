using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace TurnoDigital.Web.Security;

public static class CurrentUser
{
    /// <summary>The signed-in staff user's id, recorded as the actor of audited changes.</summary>
    public static async Task<string?> IdAsync(this Task<AuthenticationState>? state) =>
        state is null ? null : (await state).User.FindFirstValue(ClaimTypes.NameIdentifier);
}
