namespace TurnoDigital.Core.WhatsApp;

/// <summary>Named placeholders a message text may use, e.g. "{numero}".</summary>
public static class Placeholders
{
    public const string Numero = "numero", Servicio = "servicio", Sede = "sede", Direccion = "direccion", Fecha = "fecha", Hora = "hora",
        Codigo = "codigo", Ventanilla = "ventanilla", Personas = "personas", Minutos = "minutos", Enlace = "enlace",
        /// <summary>What to do next: watch the screen, or (a remote ticket) how to confirm the arrival.</summary>
        Llegada = "llegada";
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
        MessageKind.AppointmentConfirmation => [Placeholders.Codigo, Placeholders.Servicio, Placeholders.Fecha, Placeholders.Hora, Placeholders.Sede, Placeholders.Direccion, Placeholders.Enlace],
        MessageKind.ReminderDayBefore => [Placeholders.Codigo, Placeholders.Servicio, Placeholders.Fecha, Placeholders.Hora, Placeholders.Sede, Placeholders.Direccion],
        MessageKind.ReminderSameDay => [Placeholders.Codigo, Placeholders.Servicio, Placeholders.Hora, Placeholders.Sede, Placeholders.Direccion],
        MessageKind.TicketConfirmation => [Placeholders.Numero, Placeholders.Servicio, Placeholders.Sede, Placeholders.Personas, Placeholders.Minutos, Placeholders.Enlace, Placeholders.Llegada],
        MessageKind.TurnNear => [Placeholders.Numero, Placeholders.Servicio, Placeholders.Personas, Placeholders.Minutos, Placeholders.Enlace],
        MessageKind.TicketCalled => [Placeholders.Numero, Placeholders.Ventanilla],
        MessageKind.RatingRequest => [Placeholders.Sede, Placeholders.Numero],
        MessageKind.ConfirmArrival => [Placeholders.Numero, Placeholders.Servicio, Placeholders.Sede, Placeholders.Personas, Placeholders.Minutos, Placeholders.Codigo, Placeholders.Enlace],
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
        MessageKind.OptOutConfirmation => "Listo, no le enviaremos más mensajes por WhatsApp. Si desea volver a recibirlos, escríbanos cuando quiera.",
        _ => "",
    };

    /// <summary>Example values for the admin's preview.</summary>
    public static IReadOnlyDictionary<string, string> SampleValues { get; } = new Dictionary<string, string>
    {
        [Placeholders.Numero] = "A-012", [Placeholders.Servicio] = "Caja", [Placeholders.Sede] = "Sede Centro",
        [Placeholders.Direccion] = "Carrera 7 # 12-34, Bogotá", [Placeholders.Fecha] = "jueves 26 de noviembre", [Placeholders.Hora] = "10:30 a. m.",
        [Placeholders.Codigo] = "K7M2Q9TX", [Placeholders.Ventanilla] = "Ventanilla 3", [Placeholders.Personas] = "2", [Placeholders.Minutos] = "8",
        [Placeholders.Enlace] = "https://turnos.example.co/t/abc123", [Placeholders.Llegada] = ArrivalTexts.InLine,
    };
}
