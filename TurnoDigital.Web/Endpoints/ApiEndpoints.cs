using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Security;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;


namespace TurnoDigital.Web.Endpoints;

/// <summary>REST API v1 (channel Api): catalogue, availability, appointments and walk-in tickets, authenticated by API key.</summary>
public static partial class ApiEndpoints
{
    public const string Prefix = "/api/v1";
    const string IdempotencyHeader = "Idempotency-Key";

    public static void MapApiV1(this IEndpointRouteBuilder app)
    {
        // Anonymous: integrators read the contract before they have a key.
        app.MapOpenApi().AllowAnonymous();

        var api = app.MapGroup(Prefix).WithTags("Turno Digital API v1").RequireRateLimiting(RateLimits.Api);

        // Any valid key: the catalogue holds no personal data.
        api.MapGet("/branches", GetBranchesAsync).RequireAuthorization(ApiKeyAuth.AnyKeyPolicy)
            .Produces<BranchDto[]>();
        api.MapGet("/services", GetServicesAsync).RequireAuthorization(ApiKeyAuth.AnyKeyPolicy)
            .Produces<ServiceDto[]>().ProducesValidationProblem().ProducesProblem(404);

        // Scope "appointments".
        api.MapGet("/availability", GetAvailabilityAsync).RequireAuthorization(ApiKeyAuth.AppointmentsPolicy)
            .Produces<AvailabilityDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(422);
        api.MapPost("/appointments", BookAsync).RequireAuthorization(ApiKeyAuth.AppointmentsPolicy)
            .Accepts<AppointmentBody>("application/json")
            .Produces<AppointmentDto>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        api.MapGet("/appointments/{code}", GetAppointmentAsync).RequireAuthorization(ApiKeyAuth.AppointmentsPolicy)
            .Produces<AppointmentDto>().ProducesProblem(404);
        api.MapDelete("/appointments/{code}", CancelAsync).RequireAuthorization(ApiKeyAuth.AppointmentsPolicy)
            .Produces<AppointmentDto>().ProducesProblem(404).ProducesProblem(422);

        // Scope "tickets".
        api.MapPost("/tickets", IssueTicketAsync).RequireAuthorization(ApiKeyAuth.TicketsPolicy)
            .Accepts<TicketBody>("application/json")
            .Produces<TicketDto>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(422);
        api.MapGet("/tickets/{code}", GetTicketAsync).RequireAuthorization(ApiKeyAuth.TicketsPolicy)
            .Produces<TicketDto>().ProducesProblem(404);
    }

    // ---- Catalogue ----

    static async Task<IResult> GetBranchesAsync(IDbContextFactory<TurnoDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branches = await db.Branches.AsNoTracking().OrderBy(b => b.Name)
            .Select(b => new BranchDto(b.Id, b.Name, b.Address, b.TimeZoneId)).ToListAsync(ct);
        return Results.Ok(branches);
    }

    static async Task<IResult> GetServicesAsync(string? branchId, IDbContextFactory<TurnoDbContext> dbFactory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var branch = ParseId(branchId, "branchId", errors);
        if (errors.Count > 0) return Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Branches.AnyAsync(b => b.Id == branch, ct)) return NotFound("No existe una sede con ese branchId.");
        var services = await db.Services.AsNoTracking().Include(s => s.IntakeFields)
            .Where(s => s.BranchId == branch && s.IsActive).OrderBy(s => s.Prefix).ToListAsync(ct);
        return Results.Ok(services.Select(ServiceDto.From).ToList());
    }

    static async Task<IResult> GetAvailabilityAsync(string? branchId, string? serviceId, string? date,
        IDbContextFactory<TurnoDbContext> dbFactory, AvailabilityService availability, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var branch = ParseId(branchId, "branchId", errors);
        var service = ParseId(serviceId, "serviceId", errors);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            errors["date"] = ["Indique la fecha como AAAA-MM-DD, por ejemplo 2026-11-26."];
        if (errors.Count > 0) return Invalid(errors);

        var (found, problem) = await FindServiceAsync(dbFactory, branch, service, ct);
        if (problem is not null) return problem;
        if (!found!.TakesAppointments) return Unprocessable("Este servicio no recibe citas.");
        var zone = BranchTime.Zone(found.Branch!.TimeZoneId);
        var slots = await availability.GetSlotsAsync(branch, service, day, ct);
        return Results.Ok(new AvailabilityDto(branch, service, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), found.Branch.TimeZoneId, found.SlotMinutes,
            slots.Select(s => new SlotDto(Local(s.StartUtc, zone), DateTime.SpecifyKind(s.StartUtc, DateTimeKind.Utc), s.Free)).ToList()));
    }

    // ---- Appointments ----

    static async Task<IResult> BookAsync(HttpContext http, IDbContextFactory<TurnoDbContext> dbFactory, BookingService booking,
        IOptions<HttpJsonOptions> json, CancellationToken ct)
    {
        var (body, bad) = await ReadBodyAsync<AppointmentBody>(http, json.Value.SerializerOptions, ct);
        if (bad is not null) return bad;

        var errors = new Dictionary<string, string[]>();
        if (body!.BranchId is null) errors["branchId"] = ["Indique la sede (branchId)."];
        if (body.ServiceId is null) errors["serviceId"] = ["Indique el servicio (serviceId)."];
        var start = ParseInstant(body.Start);
        if (start is null)
            errors["start"] = ["Indique el inicio en ISO 8601 con zona horaria, por ejemplo 2026-11-26T10:00:00-05:00."];
        var intake = ToIntake(body.Customer, body.Intake, errors);
        RequireDataConsent(body.Customer, body.Intake, body.Consent, errors, always: true);
        var idempotency = RequestId(http, "appointment", errors);
        if (errors.Count > 0) return Invalid(errors);

        var (_, missing) = await FindServiceAsync(dbFactory, body.BranchId!.Value, body.ServiceId!.Value, ct);
        if (missing is not null) return missing;

        var request = new BookingRequest(body.BranchId.Value, body.ServiceId.Value, start!.Value, Channel.Api, intake,
            idempotency, DataPolicyAccepted: true, WhatsAppConsent: body.Consent?.WhatsApp == true, ActorId: ActorId(http));
        try
        {
            var view = await booking.BookAsync(request, ct);
            return Results.Created($"{Prefix}/appointments/{view.Code}", AppointmentDto.From(view, ManageUrl(http, view.Code)));
        }
        catch (IntakeValidationException ex) { return IntakeInvalid(ex, intake); }
        catch (SlotTakenException ex) { return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Horario ocupado"); }
        catch (DomainException ex) { return Unprocessable(ex); }
    }

    static async Task<IResult> GetAppointmentAsync(string code, HttpContext http, BookingService booking, CancellationToken ct) =>
        await booking.GetAsync(code, ct) is { } view ? Results.Ok(AppointmentDto.From(view, ManageUrl(http, view.Code))) : AppointmentNotFound();

    /// <summary>Idempotent: cancelling a cancelled appointment answers the same.</summary>
    static async Task<IResult> CancelAsync(string code, HttpContext http, BookingService booking, CancellationToken ct)
    {
        var view = await booking.GetAsync(code, ct);
        if (view is null) return AppointmentNotFound();
        if (view.Status == AppointmentStatus.Cancelled) return Results.Ok(AppointmentDto.From(view, ManageUrl(http, view.Code)));
        try { return Results.Ok(AppointmentDto.From(await booking.CancelAsync(view.Code, Channel.Api, ActorId(http), ct), ManageUrl(http, view.Code))); }
        catch (DomainException ex) { return Unprocessable(ex); }
    }

    // ---- Tickets ----

    static async Task<IResult> IssueTicketAsync(HttpContext http, IDbContextFactory<TurnoDbContext> dbFactory, QueueService queue,
        IOptions<HttpJsonOptions> json, CancellationToken ct)
    {
        var (body, bad) = await ReadBodyAsync<TicketBody>(http, json.Value.SerializerOptions, ct);
        if (bad is not null) return bad;
        var errors = new Dictionary<string, string[]>();
        if (body!.BranchId is null) errors["branchId"] = ["Indique la sede (branchId)."];
        if (body.ServiceId is null) errors["serviceId"] = ["Indique el servicio (serviceId)."];
        var intake = ToIntake(body.Customer, body.Intake, errors);
        var personal = RequireDataConsent(body.Customer, body.Intake, body.Consent, errors, always: false);
        var idempotency = RequestId(http, "ticket", errors);
        if (errors.Count > 0) return Invalid(errors);

        var (_, missing) = await FindServiceAsync(dbFactory, body.BranchId!.Value, body.ServiceId!.Value, ct);
        if (missing is not null) return missing;
        try
        {
            var view = await queue.IssueAsync(new IssueTicketRequest(body.BranchId.Value, body.ServiceId.Value, Channel.Api, idempotency, Intake: intake,
                DataPolicyAccepted: personal), ct);
            return Results.Created($"{Prefix}/tickets/{view.Code}", TicketDto.From(view, StatusUrl(http, view.Code)));
        }
        catch (IntakeValidationException ex) { return IntakeInvalid(ex, intake); }
        catch (DomainException ex) { return Unprocessable(ex); }
    }

    static async Task<IResult> GetTicketAsync(string code, HttpContext http, QueueQueries queries, CancellationToken ct) =>
        await queries.GetStatusAsync(code, ct) is { } view
            ? Results.Ok(TicketDto.From(view, StatusUrl(http, view.Code)))
            : NotFound("No encontramos un turno con ese código.");

    // ---- Helpers ----

    static async Task<(T? Body, IResult? Problem)> ReadBodyAsync<T>(HttpContext http, JsonSerializerOptions options, CancellationToken ct) where T : class
    {
        if (!http.Request.HasJsonContentType())
            return (null, Results.Problem("Envíe el cuerpo en JSON (Content-Type: application/json).", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Formato no admitido"));
        try
        {
            var body = await http.Request.ReadFromJsonAsync<T>(options, ct);
            return body is null ? (null, BadJson("El cuerpo de la solicitud está vacío.")) : (body, null);
        }
        catch (JsonException ex)
        {
            // The path names the offending field, e.g. "$.branchId" → "branchId".
            var field = ex.Path?.TrimStart('$').TrimStart('.');
            return (null, BadJson(string.IsNullOrEmpty(field) ? "El cuerpo no es un JSON válido." : $"El JSON no es válido en el campo «{field}» (formato o tipo incorrecto)."));
        }
    }

    static async Task<(Service? Service, IResult? Problem)> FindServiceAsync(IDbContextFactory<TurnoDbContext> dbFactory, int branchId, int serviceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var service = await db.Services.AsNoTracking().Include(s => s.Branch).FirstOrDefaultAsync(s => s.Id == serviceId && s.BranchId == branchId && s.IsActive, ct);
        if (service is not null) return (service, null);
        return (null, await db.Branches.AnyAsync(b => b.Id == branchId, ct)
            ? NotFound("No existe ese servicio en esta sede.")
            : NotFound("No existe una sede con ese branchId."));
    }

    static int ParseId(string? raw, string name, Dictionary<string, string[]> errors)
    {
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id;
        errors[name] = [$"Indique «{name}» como un número entero positivo."];
        return 0;
    }

    /// <summary>An instant with an explicit offset ("Z" or ±hh:mm); a bare local time would be ambiguous across branches.</summary>
    static DateTime? ParseInstant(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || !ExplicitOffset().IsMatch(raw.Trim())) return null;
        return DateTimeOffset.TryParse(raw.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at.UtcDateTime : null;
    }

    /// <summary>
    /// Same Idempotency-Key from the same API key → same Guid, so Core's RequestId check returns the first result.
    /// No header → a fresh Guid (every call creates).
    /// </summary>
    static Guid RequestId(HttpContext http, string purpose, Dictionary<string, string[]> errors)
    {
        var key = http.Request.Headers[IdempotencyHeader].ToString().Trim();
        if (key.Length == 0) return Guid.NewGuid();
        if (key.Length > 200) { errors[IdempotencyHeader] = ["El encabezado Idempotency-Key admite máximo 200 caracteres."]; return Guid.Empty; }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{http.User.ApiKeyId()}|{purpose}|{key}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    static string ActorId(HttpContext http) => $"api-key:{http.User.ApiKeyId()}";

    // Public links from the configured base URL, never from the request's Host header.
    static string StatusUrl(HttpContext http, string code) => http.RequestServices.GetRequiredService<PublicLinks>().TicketUrl(code);
    static string ManageUrl(HttpContext http, string code) => http.RequestServices.GetRequiredService<PublicLinks>().AppointmentUrl(code);

    /// <summary>The optional "customer" and "intake" objects (appointments and tickets) → Core's input; an unknown document type is a field error.</summary>
    static IntakeInput ToIntake(CustomerBody? c, Dictionary<string, string?>? custom, Dictionary<string, string[]> errors)
    {
        DocumentType? documentType = null;
        if (!string.IsNullOrWhiteSpace(c?.DocumentType))
        {
            var raw = c.DocumentType.Trim();
            if (Enum.TryParse<DocumentType>(raw, ignoreCase: true, out var parsed) && !raw.All(char.IsDigit)) documentType = parsed;
            else errors["customer.documentType"] = [$"Tipo de documento desconocido. Use uno de: {string.Join(", ", Enum.GetNames<DocumentType>())}."];
        }
        return new IntakeInput(documentType, c?.DocumentNumber, c?.FullName, c?.Phone, c?.Email, custom);
    }

    /// <summary>
    /// Ley 1581: personal data needs the person's express authorization, never implied. Whenever the request carries any
    /// (a booking always does), "consent.dataProcessing" must be true. Returns whether personal data was sent.
    /// </summary>
    static bool RequireDataConsent(CustomerBody? c, Dictionary<string, string?>? custom, ConsentBody? consent, Dictionary<string, string[]> errors, bool always)
    {
        var personal = always || new[] { c?.DocumentType, c?.DocumentNumber, c?.FullName, c?.Phone, c?.Email }.Any(v => !string.IsNullOrWhiteSpace(v))
            || custom?.Values.Any(v => !string.IsNullOrWhiteSpace(v)) == true;
        if (personal && consent?.DataProcessing != true)
            errors["consent.dataProcessing"] = ["Envíe \"consent\": {\"dataProcessing\": true}: la persona debe autorizar expresamente el tratamiento de sus datos personales (Ley 1581 de 2012)."];
        return personal;
    }

    static IResult IntakeInvalid(IntakeValidationException ex, IntakeInput intake) =>
        Invalid(ex.Errors.ToDictionary(e => IntakeFieldName(e.Key, intake.DocumentType), e => new[] { e.Value }), "Revise los datos del cliente.");

    /// <summary>Core's intake keys → the JSON field the client sent.</summary>
    static string IntakeFieldName(string key, DocumentType? documentType) => key switch
    {
        IntakeField.Keys.Document => documentType is null ? "customer.documentType" : "customer.documentNumber",
        IntakeField.Keys.FullName => "customer.fullName",
        IntakeField.Keys.Phone => "customer.phone",
        IntakeField.Keys.Email => "customer.email",
        _ => $"intake.{key}",
    };

    internal static DateTimeOffset Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone);

    static IResult Invalid(Dictionary<string, string[]> errors, string detail = "Revise los datos enviados.") =>
        Results.ValidationProblem(errors, detail: detail, title: "Datos no válidos");

    static IResult BadJson(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Solicitud mal formada");
    static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No encontrado");
    static IResult AppointmentNotFound() => NotFound("No encontramos una cita con ese código.");
    static IResult Unprocessable(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No se pudo completar");

    /// <summary>A domain error: the detail in Spanish (the API's language, whatever cookie came along) and its stable code.</summary>
    static IResult Unprocessable(DomainException ex) => Results.Problem(ex.MessageFor(Ui.Culture(false)), statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "No se pudo completar", extensions: new Dictionary<string, object?> { ["code"] = ex.Code });

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex ExplicitOffset();

    // ---- Contract ----

    public sealed record BranchDto(int Id, string Name, string? Address, string TimeZoneId);

    public sealed record IntakeFieldDto(string Key, IntakeFieldKind Kind, string Label, bool Required, IReadOnlyList<string>? Options);

    public sealed record ServiceDto(int Id, string Name, string? NameEn, ServiceMode Mode, string Prefix, int SlotMinutes, int CapacityPerSlot,
        IReadOnlyList<IntakeFieldDto> IntakeFields)
    {
        public static ServiceDto From(Service s) => new(s.Id, s.Name, s.NameEn, s.Mode, s.Prefix, s.SlotMinutes, s.CapacityPerSlot,
            s.IntakeFields.OrderBy(f => f.Order)
                .Select(f => new IntakeFieldDto(f.Key, f.Kind, f.Label, f.Required, f.Kind == IntakeFieldKind.Choice ? f.OptionList : null)).ToList());
    }

    public sealed record SlotDto(
        [property: Description("Local start in the branch's time zone, ISO 8601 with offset")] DateTimeOffset Start,
        DateTime StartUtc, int Free);

    public sealed record AvailabilityDto(int BranchId, int ServiceId, string Date, string TimeZoneId, int SlotMinutes, IReadOnlyList<SlotDto> Slots);

    public sealed class AppointmentBody
    {
        public int? BranchId { get; set; }
        public int? ServiceId { get; set; }
        [Description("ISO 8601 instant with offset, e.g. 2026-11-26T10:00:00-05:00")]
        public string? Start { get; set; }
        public CustomerBody? Customer { get; set; }
        public ConsentBody? Consent { get; set; }
        [Description("The service's custom intake fields by key, e.g. {\"tramite\": \"Paz y salvo\"}")]
        public Dictionary<string, string?>? Intake { get; set; }
    }

    public sealed class CustomerBody
    {
        [Description("CC, CE, TI, PA, PPT, NIT or RC")]
        public string? DocumentType { get; set; }
        public string? DocumentNumber { get; set; }
        public string? FullName { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
    }

    public sealed class ConsentBody
    {
        [Description("Required (true) whenever personal data is sent: the person expressly authorized its processing (Ley 1581 de 2012). Recorded with the API's consent text version.")]
        public bool? DataProcessing { get; set; }
        [Description("The person agreed to appointment updates by WhatsApp")]
        public bool WhatsApp { get; set; }
    }

    public sealed record AppointmentDto(string Code, AppointmentStatus Status, DateTimeOffset Start, DateTimeOffset End, DateTime StartUtc,
        int BranchId, string BranchName, string? BranchAddress, int ServiceId, string ServiceName, string TimeZoneId, Channel Channel,
        [property: Description("The public page where the person sees, changes or cancels the appointment")] string ManageUrl)
    {
        public static AppointmentDto From(AppointmentView v, string manageUrl)
        {
            var zone = BranchTime.Zone(v.TimeZoneId);
            var start = Local(v.StartUtc, zone);
            return new(v.Code, v.Status, start, start + (v.EndLocal - v.StartLocal), DateTime.SpecifyKind(v.StartUtc, DateTimeKind.Utc),
                v.BranchId, v.BranchName, v.BranchAddress, v.ServiceId, v.ServiceName, v.TimeZoneId, v.Channel, manageUrl);
        }
    }

    public sealed class TicketBody
    {
        public int? BranchId { get; set; }
        public int? ServiceId { get; set; }
        [Description("Required when the service's intake asks for it (see intakeFields in /services)")]
        public CustomerBody? Customer { get; set; }
        [Description("The service's custom intake fields by key, e.g. {\"tramite\": \"Paz y salvo\"}")]
        public Dictionary<string, string?>? Intake { get; set; }
        [Description("consent.dataProcessing must be true when customer or intake data is sent")]
        public ConsentBody? Consent { get; set; }
    }

    /// <summary>No personal data: what the public status page shows.</summary>
    public sealed record TicketDto(string Code, string Number, TicketStatus Status, int BranchId, string BranchName, string ServiceName,
        int PeopleAhead, int EstimatedWaitMinutes, string? Counter, string StatusUrl)
    {
        public static TicketDto From(TicketStatusView v, string statusUrl) => new(v.Code, v.Number, v.Status, v.BranchId, v.BranchName, v.ServiceName,
            v.PeopleAhead, v.EstimatedWaitMinutes, v.CounterName, statusUrl);
    }
}
