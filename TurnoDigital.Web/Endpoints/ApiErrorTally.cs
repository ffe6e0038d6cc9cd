using TurnoDigital.Core.Supervision.Alerts;

namespace TurnoDigital.Web.Endpoints;

/// <summary>Counts the REST API's error answers (4xx but 404, 5xx, exceptions) for the API owner's spike alert.</summary>
public static class ApiErrorTally
{
    public static IApplicationBuilder UseApiErrorTally(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments(ApiEndpoints.Prefix)) { await next(http); return; }
        var failed = true;
        try
        {
            await next(http);
            failed = http.Response.StatusCode >= 400 && http.Response.StatusCode != StatusCodes.Status404NotFound;
        }
        finally
        {
            if (failed)
            {
                try { await http.RequestServices.GetRequiredService<HealthTallies>().AddAsync(TallyKind.ApiError); }
                catch (Exception ex) { http.RequestServices.GetRequiredService<ILogger<HealthTallies>>().LogWarning(ex, "Could not count an API error"); }
            }
        }
    });
}
