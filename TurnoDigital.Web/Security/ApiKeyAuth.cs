using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Api;

namespace TurnoDigital.Web.Security;

/// <summary>REST API clients authenticate with a key in the X-Api-Key header; each scope becomes a claim.</summary>
public static class ApiKeyAuth
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string KeyIdClaim = "api_key_id", ScopeClaim = "api_scope";
    public const string AnyKeyPolicy = "ApiAnyKey", AppointmentsPolicy = "ApiAppointments", TicketsPolicy = "ApiTickets", ReportsPolicy = "ApiReports";

    public static int? ApiKeyId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(KeyIdClaim), out var id) ? id : null;

    /// <summary>Never a default scheme: staff and device cookies are unaffected, and API policies name it explicitly.</summary>
    public static AuthenticationBuilder AddApiKeyAuth(this AuthenticationBuilder auth) =>
        auth.AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);

    /// <summary>Only the API key counts (a staff cookie does not); without the scope the answer is 403.</summary>
    public static AuthorizationBuilder AddApiKeyPolicies(this AuthorizationBuilder authz) => authz
        .AddPolicy(AnyKeyPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
        .AddPolicy(AppointmentsPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(ScopeClaim, ApiScopes.Appointments))
        .AddPolicy(TicketsPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(ScopeClaim, ApiScopes.Tickets))
        .AddPolicy(ReportsPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(ScopeClaim, ApiScopes.Reports));

    /// <summary>Tells OpenAPI clients to send the key header on every operation.</summary>
    public static void Describe(Microsoft.OpenApi.OpenApiDocument doc)
    {
        doc.Components ??= new();
        doc.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
        doc.Components.SecuritySchemes[Scheme] = new Microsoft.OpenApi.OpenApiSecurityScheme
        {
            Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey, In = Microsoft.OpenApi.ParameterLocation.Header, Name = HeaderName,
            Description = "Clave creada en /admin/api-keys. Permisos: appointments, tickets, reports.",
        };
        doc.Security = [new() { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference(Scheme, doc)] = [] }];
    }

    sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(HeaderName, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
                return AuthenticateResult.NoResult();
            var key = await keys.FindAsync(values.ToString(), Context.RequestAborted);
            if (key is null) return AuthenticateResult.Fail("Unknown or revoked API key.");
            var claims = new List<Claim> { new(KeyIdClaim, key.Id.ToString()), new(ClaimTypes.Name, key.Name) };
            claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuth.Scheme)), ApiKeyAuth.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.Headers.WWWAuthenticate = ApiKeyAuth.Scheme;
            var detail = Request.Headers.ContainsKey(HeaderName)
                ? "La clave de API no es válida o fue revocada."
                : $"Falta la clave de API en el encabezado {HeaderName}.";
            return WriteProblemAsync(StatusCodes.Status401Unauthorized, "No autenticado", detail);
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            WriteProblemAsync(StatusCodes.Status403Forbidden, "Sin permiso", "La clave de API no tiene el permiso (scope) que requiere esta operación.");

        // A JSON body also keeps the status-code pages from re-executing the HTML "not found" page.
        Task WriteProblemAsync(int status, string title, string detail)
        {
            Response.StatusCode = status;
            return Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(Context);
        }
    }
}
