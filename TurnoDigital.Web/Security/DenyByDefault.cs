using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using TurnoDigital.Core.Identity;

namespace TurnoDigital.Web.Security;

/// <summary>
/// Deny by default: a page or endpoint that says nothing about access needs a signed-in staff user. Public pages, device
/// screens, the API and webhooks opt in with [AllowAnonymous] / .AllowAnonymous() or their own policies.
/// </summary>
public static class DenyByDefault
{
    /// <summary>
    /// Staff roles on the default (staff-or-device) user. No scheme of its own: the authorization middleware evaluates the
    /// fallback even for [AllowAnonymous] endpoints and would replace the circuit hub's device user with that scheme's.
    /// </summary>
    public static AuthorizationBuilder RequireStaffByDefault(this AuthorizationBuilder auth) =>
        auth.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.All).Build());

    /// <summary>
    /// Blazor's own endpoints (the circuit hub, its negotiation and disconnect) serve public pages and device screens too:
    /// anonymous, while each page keeps its own attribute.
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder AllowBlazorInfrastructureAnonymous(this RazorComponentsEndpointConventionBuilder components)
    {
        components.Add(e =>
        {
            if (!e.Metadata.OfType<ComponentTypeMetadata>().Any()) e.Metadata.Add(new AllowAnonymousAttribute());
        });
        return components;
    }

    /// <summary>
    /// The build's static files, anonymous. Without the runtime fallback MapStaticAssets adds when it serves a build
    /// manifest ({**path:file}, for files added after the build): it takes no conventions, so it could not say who may use it.
    /// </summary>
    public static void MapStaticAssetsAnonymous(this WebApplication app)
    {
        app.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] = "true";
        app.MapStaticAssets().AllowAnonymous();
    }

    /// <summary>Unknown addresses are a plain 404 (shown by the not-found page) for everyone, not a sign-in prompt.</summary>
    public static void MapNotFoundFallback(this IEndpointRouteBuilder app) =>
        app.MapFallback(() => Results.NotFound()).AllowAnonymous();
}
