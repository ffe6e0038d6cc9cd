using System.Security.Claims;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Endpoints;

/// <summary>Admin downloads: the call-back list of the people a branch cancelled and could not tell on WhatsApp.</summary>
public static class AdminEndpoints
{
    public const string CallBackPath = "/admin/branches/{branchId:int}/callbacks";

    public static string CallBackUrl(int branchId) => $"admin/branches/{branchId}/callbacks";

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        // Names and phones: admins only (the audit trail records each download).
        app.MapGet(CallBackPath, CallBacksAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
    }

    static async Task<IResult> CallBacksAsync(int branchId, ClaimsPrincipal user, OrganizationAdmin admin, CancellationToken ct)
    {
        try
        {
            var rows = await admin.CallBacksAsync(branchId, user.UserId(), ct);
            return Results.File(ScheduleChangeBookings.CallBackCsv(rows), "text/csv; charset=utf-8", $"llamar_sede-{branchId}.csv");
        }
        catch (DomainException ex) { return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound, title: "No encontrado"); }
    }
}
