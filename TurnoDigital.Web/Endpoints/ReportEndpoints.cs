using System.Globalization;
using System.Security.Claims;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Reporting;
using TurnoDigital.Core.Reporting.Pdf;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Web.Security;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Web.Endpoints;

/// <summary>Channel report downloads: staff export (PDF or CSV zip), stored daily PDFs, and the same report in the REST API.</summary>
public static class ReportEndpoints
{
    public const string ExportPath = "/supervisor/reports/export", DailyPath = "/supervisor/reports/daily", StaffingPath = "/supervisor/staffing/export";

    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Supervisors (their branches only) and admins, by staff cookie; every download is audited.
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin));
        app.MapGet(DailyPath + "/{branchId:int}/{day}", DailyAsync).RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin));
        app.MapGet(StaffingPath, StaffingAsync).RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin));

        // API key with scope "reports" (all branches: a key is not tied to a branch).
        app.MapGet(ApiEndpoints.Prefix + "/reports/channels", ApiAsync).RequireAuthorization(ApiKeyAuth.ReportsPolicy)
            .RequireRateLimiting(RateLimits.Api).WithTags("Turno Digital API v1")
            .Produces(200, contentType: "application/pdf").Produces(200, contentType: "text/csv").Produces(200, contentType: "application/zip")
            .ProducesProblem(400).ProducesProblem(403);
    }

    public static string ExportUrl(ReportFilter f, string format) =>
        $"{ExportPath}?from={f.From:yyyy-MM-dd}&to={f.To:yyyy-MM-dd}" + string.Concat(f.BranchIds.Select(b => $"&branchId={b}"))
        + string.Concat(f.ServiceIds.Select(s => $"&serviceId={s}")) + $"&format={format}";

    public static string DailyUrl(int branchId, DateOnly day) => $"{DailyPath}/{branchId}/{day:yyyy-MM-dd}";

    static async Task<IResult> ExportAsync(HttpContext http, ClaimsPrincipal user, ChannelReportService reports, CancellationToken ct)
    {
        var format = (http.Request.Query["format"].ToString() is { Length: > 0 } f ? f : "pdf").ToLowerInvariant();
        if (format is not ("pdf" or "csv")) return Bad("Indique el formato: pdf o csv.");
        return await RunAsync(http, reports, format, user.UserId(), user.Identity?.Name, user.IsInRole(Roles.Admin), zipCsv: true, ct);
    }

    static async Task<IResult> ApiAsync(HttpContext http, ChannelReportService reports, CancellationToken ct)
    {
        var format = http.Request.Query["format"].ToString().ToLowerInvariant();
        if (format.Length == 0)
        {
            var accept = http.Request.Headers.Accept.ToString();
            format = accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv"
                : accept.Contains("application/zip", StringComparison.OrdinalIgnoreCase) ? "zip" : "pdf";
        }
        if (format is not ("pdf" or "csv" or "zip")) return Bad("Indique el formato: pdf, csv (tabla por canal) o zip (todas las tablas en CSV).");
        var keyId = http.User.ApiKeyId();
        return await RunAsync(http, reports, format, $"api-key:{keyId}", http.User.Identity?.Name, isAdmin: true, zipCsv: false, ct);
    }

    static async Task<IResult> RunAsync(HttpContext http, ChannelReportService reports, string format, string? actorId, string? actorName, bool isAdmin, bool zipCsv, CancellationToken ct)
    {
        var q = http.Request.Query;
        ReportFilter filter;
        try
        {
            filter = await reports.ResolveAsync(q["from"], q["to"], q["branchId"], q["serviceId"], actorId, isAdmin, ct);
        }
        catch (ReportForbiddenException ex) { return Results.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden, title: "Sin permiso"); }
        catch (ReportInputException ex) { return Bad(ex.Message); }

        var report = await reports.ComputeAsync(filter, ct);
        var name = $"informe-canales_{filter.From:yyyy-MM-dd}_{filter.To:yyyy-MM-dd}";
        if (format == "csv" && zipCsv) format = "zip";
        await reports.AuditExportAsync(filter, format, actorId, actorName, ct: ct);
        return format switch
        {
            "pdf" => Results.File(ChannelReportPdf.Render(report), "application/pdf", name + ".pdf"),
            "zip" => Results.File(ChannelReportCsv.Zip(report), "application/zip", name + ".zip"),
            _ => Results.File(ChannelReportCsv.WithBom(ChannelReportCsv.Tables(report).Single(t => t.Name == "canales.csv").Content),
                "text/csv; charset=utf-8", name + ".csv"),
        };
    }

    static async Task<IResult> DailyAsync(int branchId, string day, ClaimsPrincipal user, ChannelReportService reports, ReportArchive archive, CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return Bad("Indique la fecha como AAAA-MM-DD.");
        var userId = user.UserId();
        var allowed = await reports.AllowedBranchesAsync(userId, user.IsInRole(Roles.Admin), ct);
        if (allowed.All(b => b.Id != branchId)) return Results.Problem("No tiene acceso a esa sede.", statusCode: StatusCodes.Status403Forbidden, title: "Sin permiso");
        var pdf = await archive.ReadAsync(branchId, date, ct);
        if (pdf is null) return Results.Problem("No hay un informe guardado para esa sede y fecha.", statusCode: StatusCodes.Status404NotFound, title: "No encontrado");
        await reports.AuditExportAsync(new ReportFilter(date, date, [branchId], []), "pdf", userId, user.Identity?.Name, AuditActions.DailyReportDownloaded, ct);
        return Results.File(pdf, "application/pdf", $"informe-diario_{branchId}_{date:yyyy-MM-dd}.pdf");
    }

    public static string StaffingUrl(int branchId, DayOfWeek weekday, int weeks) => $"{StaffingPath}?branchId={branchId}&weekday={(int)weekday}&weeks={weeks}";

    /// <summary>The staffing forecast as CSV: supervisors of the branch and admins.</summary>
    static async Task<IResult> StaffingAsync(HttpContext http, ClaimsPrincipal user, PanelQueries panel, StaffingQueries staffing, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (!int.TryParse(q["branchId"], out var branchId)) return Bad("Indique la sede (branchId).");
        if (!int.TryParse(q["weekday"], out var day) || day is < 0 or > 6) return Bad("Indique el día de la semana: 0 (domingo) a 6 (sábado).");
        var weeks = StaffingQueries.DefaultWeeks;
        if (q["weeks"].Count > 0 && (!int.TryParse(q["weeks"], out weeks) || weeks is < 1 or > StaffingQueries.MaxWeeks))
            return Bad($"Las semanas observadas van de 1 a {StaffingQueries.MaxWeeks}.");
        var scope = await panel.ScopeAsync(user.UserId(), user.IsInRole(Roles.Admin), ct);
        if (!scope.Allows(branchId)) return Results.Problem("No tiene acceso a esa sede.", statusCode: StatusCodes.Status403Forbidden, title: "Sin permiso");
        var f = await staffing.ForecastAsync(branchId, (DayOfWeek)day, weeks, ct);
        if (f is null) return Results.Problem("La sede no existe.", statusCode: StatusCodes.Status404NotFound, title: "No encontrado");
        return Results.File(ChannelReportCsv.WithBom(StaffingCsv.Write(f)), "text/csv; charset=utf-8", $"dotacion_{branchId}_{f.ComingDay:yyyy-MM-dd}.csv");
    }

    static IResult Bad(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Datos no válidos");
}
