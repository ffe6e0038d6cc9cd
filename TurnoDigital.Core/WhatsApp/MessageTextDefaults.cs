namespace TurnoDigital.Core.WhatsApp;

/// <summary>Named placeholders a message text may use, e.g. "{numero}"; the values stay Spanish because admins type them.</summary>
public static class Placeholders
{
    public const string Number = "numero", Service = "servicio", Branch = "sede", Address = "direccion", Date = "fecha", Time = "hora",
        Code = "codigo", Counter = "ventanilla", PeopleAhead = "personas", Minutes = "minutos", Link = "enlace",
        /// <summary>What to do next: watch the screen, or (a remote ticket) how to confirm the arrival.</summary>
        Arrival = "llegada";
}

/// <summary>The {llegada} value of a ticket taken at the branch (remote tickets: <see cref="Conversation.BotTexts.ArrivalInstruction"/>).</summary>
public static class ArrivalTexts
{
    public const string InLine = "Esté atento a la pantalla de turnos de la sede.";
}

/// <summary>The texts and utility-template names each message kind starts with; admins override them in <see cref="MessageText"/> rows.</summary>
public static class MessageTextDefaults
{
    /// <summary>Template name registered in Meta's manager, e.g. "turno_reminder_day_before".</summary>
    public static string TemplateName(MessageKind kind) =>
        "turno_" + string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public const string TemplateLanguage = "es";

    /// <summary>Kinds an admin can edit: every kind but <see cref="MessageKind.Reply"/> (the bot's own answers).</summary>
    public static IReadOnlyList<MessageKind> EditableKinds { get; } = Enum.GetValues<MessageKind>().Where(k => k != MessageKind.Reply).ToArray();

    /// <summary>
    /// The placeholders a kind's text may use. Their order is the order of the template's parameters
    /// ({{1}}, {{2}}, …) in Meta's manager, whatever order the admin's text uses them in.
    /// </summary>
    public static IReadOnlyList<string> PlaceholdersOf(MessageKind kind) => kind switch
    {
        MessageKind.AppointmentConfirmation => [Placeholders.Code, Placeholders.Service, Placeholders.Date, Placeholders.Time, Placeholders.Branch, Placeholders.Address, Placeholders.Link],
        MessageKind.ReminderDayBefore => [Placeholders.Code, Placeholders.Service, Placeholders.Date, Placeholders.Time, Placeholders.Branch, Placeholders.Address],
        MessageKind.ReminderSameDay => [Placeholders.Code, Placeholders.Service, Placeholders.Time, Placeholders.Branch, Placeholders.Address],
        MessageKind.TicketConfirmation => [Placeholders.Number, Placeholders.Service, Placeholders.Branch, Placeholders.PeopleAhead, Placeholders.Minutes, Placeholders.Link, Placeholders.Arrival],
        MessageKind.TurnNear => [Placeholders.Number, Placeholders.Service, Placeholders.PeopleAhead, Placeholders.Minutes, Placeholders.Link],
        MessageKind.TicketCalled => [Placeholders.Number, Placeholders.Counter],
        MessageKind.RatingRequest => [Placeholders.Branch, Placeholders.Number],
        MessageKind.ConfirmArrival => [Placeholders.Number, Placeholders.Service, Placeholders.Branch, Placeholders.PeopleAhead, Placeholders.Minutes, Placeholders.Code, Placeholders.Link],
        MessageKind.ClosedNotArrived => [Placeholders.Number, Placeholders.Service, Placeholders.Branch],
        MessageKind.TicketReactivated => [Placeholders.Number, Placeholders.Service, Placeholders.PeopleAhead, Placeholders.Minutes, Placeholders.Link],
        MessageKind.CancelledByBranch => [Placeholders.Code, Placeholders.Service, Placeholders.Date, Placeholders.Time, Placeholders.Branch, Placeholders.Link],
        _ => [],
    };

    /// <summary>Spanish (usted), short; every placeholder it uses is in <see cref="PlaceholdersOf"/>.</summary>
    public static string Body(MessageKind kind) => kind switch
    {
        MessageKind.AppointmentConfirmation =>
            "Su cita quedó agendada.\nCódigo: {codigo}\nServicio: {servicio}\nFecha: {fecha}, {hora}\nSede: {sede}, {direccion}\n" +
            "Traiga su documento de identidad. Al llegar, regístrese en el kiosco con su número de documento o con el código {codigo}.\nDetalles: {enlace}",
        MessageKind.ReminderDayBefore =>
            "Le recordamos su cita de mañana, {fecha}, a las {hora}: {servicio} en {sede}, {direccion}. Código: {codigo}.\n¿Nos confirma su asistencia?",
        MessageKind.ReminderSameDay =>
            "Su cita es hoy a las {hora}: {servicio} en {sede}, {direccion}. Código: {codigo}.\n" +
            "Al llegar, regístrese en el kiosco con su documento o el código. ¿Nos confirma su asistencia?",
        MessageKind.TicketConfirmation =>
            "Su turno es {numero} para {servicio} en {sede}.\nPersonas antes de usted: {personas}. Espera estimada: {minutos} min.\n{llegada}\nSiga su turno aquí: {enlace}",
        MessageKind.TurnNear =>
            "Su turno {numero} ({servicio}) está cerca. Personas antes de usted: {personas} (unos {minutos} min). Por favor acérquese a la sala de espera.\n{enlace}",
        MessageKind.TicketCalled => "Es su turno: {numero}, diríjase a {ventanilla}.",
        MessageKind.RatingRequest => "Gracias por su visita a {sede}. ¿Cómo califica la atención de su turno {numero}?",
        MessageKind.ConfirmArrival =>
            "Su turno {numero} ({servicio}) está cerca. Personas antes de usted: {personas} (unos {minutos} min). Acérquese a {sede} y, al llegar, " +
            "confirme su llegada en el kiosco («Tengo cita o turno») con su documento o el código {codigo}. Sin confirmar no lo llamarán.\n{enlace}",
        MessageKind.ClosedNotArrived =>
            "{sede} cerró por hoy y su turno {numero} ({servicio}) terminó porque no alcanzó a confirmar su llegada. " +
            "No es necesario que venga hoy; cuando abramos de nuevo puede tomar un turno nuevo.",
        MessageKind.TicketReactivated =>
            "Su turno {numero} ({servicio}) fue reactivado y está de nuevo en la fila. Personas antes de usted: {personas} (unos {minutos} min). " +
            "Esté atento a la pantalla de turnos.\n{enlace}",
        MessageKind.CancelledByBranch =>
            "Lamentamos informarle que la sede {sede} no podrá atenderle el {fecha} a las {hora}: su cita de {servicio} (código {codigo}) " +
            "fue cancelada por la sede. Elija una nueva fecha y hora aquí: {enlace}",
        MessageKind.OptOutConfirmation => "Listo, no le enviaremos más mensajes por WhatsApp. Si desea volver a recibirlos, escríbanos cuando quiera.",
        _ => "",
    };

    /// <summary>Example values for the admin's preview.</summary>
    public static IReadOnlyDictionary<string, string> SampleValues { get; } = new Dictionary<string, string>
    {
        [Placeholders.Number] = "A-012", [Placeholders.Service] = "Caja", [Placeholders.Branch] = "Sede Centro",
        [Placeholders.Address] = "Carrera 7 # 12-34, Bogotá", [Placeholders.Date] = "jueves 26 de noviembre", [Placeholders.Time] = "10:30 a. m.",
        [Placeholders.Code] = "K7M2Q9TX", [Placeholders.Counter] = "Ventanilla 3", [Placeholders.PeopleAhead] = "2", [Placeholders.Minutes] = "8",
        [Placeholders.Link] = "https://turnos.example.co/t/abc123", [Placeholders.Arrival] = ArrivalTexts.InLine,
    };
}
