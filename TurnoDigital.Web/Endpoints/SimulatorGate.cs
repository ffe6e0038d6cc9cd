using Microsoft.Extensions.Options;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;

namespace TurnoDigital.Web.Endpoints;

/// <summary>
/// Outside Development the WhatsApp simulator does not exist: its page answers 404 for everyone, and so does the webhook
/// while WhatsApp is in Simulator mode (nothing but the simulator would sign for it).
/// </summary>
public static class SimulatorGate
{
    public const string Page = "/simulator/whatsapp";

    public static WebApplication UseSimulatorGate(this WebApplication app)
    {
        if (WhatsAppSimulator.Allowed(app.Services)) return app;
        var options = app.Services.GetRequiredService<IOptionsMonitor<WhatsAppOptions>>();
        app.Use((http, next) =>
        {
            var page = http.Request.Path.StartsWithSegments(Page);
            if (page && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
            {
                // An empty 404: the status-code pages show the usual "not found" page.
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            // A form post would be re-executed as a post to the "not found" page, which wants its antiforgery token (400).
            if (page || http.Request.Path.StartsWithSegments(WhatsAppEndpoints.Webhook) && options.CurrentValue.Mode == WhatsAppMode.Simulator)
                return Results.Text("No encontrado.", "text/plain", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(http);
            return next(http);
        });
        return app;
    }
}
