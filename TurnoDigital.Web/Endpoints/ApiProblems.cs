using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TurnoDigital.Web.Endpoints;

/// <summary>
/// An unhandled error under /api answers like the API's other errors: <c>application/problem+json</c> with a Spanish title and the
/// trace id to quote (the log has the exception under it), never the HTML error page or a stack trace.
/// </summary>
public static class ApiProblems
{
    public const string Title = "Error interno", Detail = "No se pudo completar la solicitud. Intente de nuevo; si el error persiste, informe el código de seguimiento (traceId).";

    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteAsync }));

    static Task WriteAsync(HttpContext http)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = Title, Detail = Detail };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return http.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }
}
