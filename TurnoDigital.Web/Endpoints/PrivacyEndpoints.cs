using System.Security.Claims;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Privacy;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Endpoints;

public static class PrivacyEndpoints
{
    /// <summary>Admin only: everything held about one person as a JSON download (audited).</summary>
    public static void MapPrivacyEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/admin/personas/{id:int}/export", async (int id, ClaimsPrincipal user, PersonalDataService privacy) =>
        {
            try
            {
                var json = await privacy.ExportAsync(id, user.UserId(), user.Identity?.Name);
                return Results.File(json, "application/json; charset=utf-8", $"datos-persona-{id}.json");
            }
            catch (DomainException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin));
}
