using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>
/// Every text the bot writes, in one place for review: Spanish (es-CO), "usted", short sentences for older adults.
/// Dates and times are formatted here too, without depending on the server's culture data.
/// </summary>
public static class BotTexts
{
    public const string ListButton = "Ver opciones";
    public const string MenuHint = "Escriba MENÚ para ver las opciones.";

    /// <summary>A domain refusal in the bot's language, whatever the culture of the worker that handles the message.</summary>
    public static string Of(Common.DomainException ex) => ex.MessageFor(System.Globalization.CultureInfo.GetCultureInfo("es-CO"));

    // Menu.
    public const string Greeting = "¡Hola! Soy el asistente virtual de Turno Digital. ¿En qué le puedo ayudar?";
    public const string MenuBody = "¿En qué le puedo ayudar? Toque «Ver opciones» o escriba el número.";
    public const string MenuBook = "Agendar cita", MenuBookHint = "Reserve una cita en una sede";
    public const string MenuTakeTicket = "Tomar turno", MenuTakeTicketHint = "Haga la fila sin estar en la sede";
    public const string MenuMine = "Mis citas", MenuMineHint = "Vea sus próximas citas";
    public const string MenuChange = "Cancelar o reprogramar", MenuChangeHint = "Cancele o cambie la fecha de una cita";
    public const string MenuTicket = "Estado de mi turno", MenuTicketHint = "Cuántas personas hay antes de usted";
    public const string MenuHelp = "Ayuda", MenuHelpHint = "Cómo usar este chat";
    public const string NotUnderstood = "Disculpe, no le entendí.";
    public const string IdleReset = "Como pasó un tiempo sin respuesta, empezamos de nuevo.";
    public const string PickFromList = "Por favor elija una de las opciones de la lista (o escriba su número).";
    public const string Help =
        "Con este chat puede agendar, consultar, cancelar o cambiar sus citas, tomar un turno antes de llegar a la sede y ver el estado de su turno.\n" +
        "• Toque los botones o escriba el número de la opción.\n" +
        "• Escriba MENÚ en cualquier momento para volver al inicio.\n" +
        "• Escriba BAJA si no desea recibir más mensajes.\n" +
        "Si necesita ayuda personal, acérquese a un asesor en la sede.";
    public const string Unsupported = "Por ahora solo entiendo mensajes de texto y los botones de este chat. " + MenuHint;

    // Booking.
    public const string NoServices = "Por ahora no hay servicios con cita. Puede acercarse a la sede.";
    public const string AskService = "¿Para qué servicio es la cita?";
    public const string AskBranch = "¿En qué sede?";
    public const string NoDays = "No hay horarios disponibles para este servicio en los próximos días. Puede acercarse a la sede o intentar más tarde.";
    public const string AskDay = "Elija el día de su cita. Si prefiere otra fecha, escríbala así: 15/12.";
    public const string DayNotAvailable = "Ese día no tiene horarios disponibles. Elija otro, por favor.";
    public const string NoSlots = "Ya no quedan horarios ese día. Elija otro día, por favor.";
    public const string SlotGone = "Ese horario ya no está disponible. Elija otro, por favor.";
    public const string MoreSlots = "Ver más horas", MoreSlotsHint = "Horarios más tarde ese día";
    public const string OtherDay = "Otro día", OtherDayHint = "Volver a elegir el día";
    public const string AskDocumentType = "¿Qué tipo de documento tiene?";
    public const string AskDocumentNumber = "Escriba su número de documento, sin puntos.";
    public const string OptionalHint = "Si no desea responder, escriba OMITIR.";
    public const string Skip = "omitir";
    public const string ConsentText =
        "Antes de agendar necesitamos su autorización (Ley 1581 de 2012): usaremos sus datos solo para gestionar su cita y su atención, " +
        "y le enviaremos por WhatsApp la confirmación y los recordatorios. Puede conocer, corregir o pedir que borremos sus datos, " +
        "y escribir BAJA cuando quiera para no recibir más mensajes. ¿Acepta?";
    public const string Accept = "Acepto", Decline = "No acepto";
    public const string ConsentDeclined = "Entendido. Sin su autorización no podemos agendar por este medio. Puede agendar en la sede. " + MenuHint;
    public const string Confirm = "Confirmar", Abort = "Cancelar";
    public const string Aborted = "Listo, no agendamos nada. " + MenuHint;

    // Appointments.
    public const string NoAppointments = "No tiene citas próximas a su número de WhatsApp. " + MenuHint;
    public const string NoAppointmentsToChange = "No tiene citas próximas para cancelar o cambiar. " + MenuHint;
    public const string PickAppointment = "¿Qué cita desea cancelar o cambiar?";
    public const string CancelIt = "Cancelar cita", RescheduleIt = "Cambiar fecha", BackToMenu = "Volver al menú";
    public const string YesCancel = "Sí, cancelar", NoKeep = "No, mantenerla";
    public const string AppointmentNotFound = "No encontramos esa cita a su número. " + MenuHint;
    public const string AppointmentInactive = "Esa cita ya no está activa. " + MenuHint;
    public const string Kept = "Perfecto, su cita sigue igual. ¡Lo esperamos!";

    // Tickets and ratings.
    public const string NoTickets = "No tiene turnos abiertos hoy a su número. Puede tomar uno en el kiosco de la sede o escribiendo TOMAR TURNO.";
    public const string TicketNotFound = "No encontramos ese turno a su número.";
    public const string AlreadyRated = "Ya recibimos su calificación para ese turno. ¡Gracias!";
    public const string RatingThanks = "¡Gracias por calificarnos! Su opinión nos ayuda a mejorar.";

    // Remote tickets (virtual queue).
    public const string NoRemoteServices =
        "En este momento no hay servicios con turno a distancia abiertos. Puede tomar el turno en el kiosco de la sede. " + MenuHint;
    /// <summary>A branch that takes no ticket now: after its hours, or its day closed early by a supervisor.</summary>
    public static string BranchClosed(string branch, bool dayClosed, OpeningTime next) => (dayClosed
        ? $"{branch} ya cerró el día y no entrega más turnos hoy."
        : $"{branch} está cerrada y no entrega turnos ahora.") + $" Vuelve a abrir el {next.ToString(null, null)}.";
    public const string AskTicketService = "¿Para qué servicio desea el turno? Le mostramos cuántas personas esperan ahora.";
    public const string TicketConsentText =
        "Antes de darle el turno necesitamos su autorización (Ley 1581 de 2012): usaremos sus datos solo para gestionar su turno y su atención, " +
        "y le avisaremos por WhatsApp cuando se acerque su turno. Puede conocer, corregir o pedir que borremos sus datos, " +
        "y escribir BAJA cuando quiera para no recibir más mensajes. ¿Acepta?";
    public const string TicketConsentDeclined = "Entendido. Sin su autorización no podemos darle un turno por este medio. Puede tomarlo en el kiosco de la sede. " + MenuHint;
    public const string NoRemoteTicketsToCancel = "No tiene turnos tomados a distancia que se puedan cancelar. " + MenuHint;
    public const string PickTicketToCancel = "¿Qué turno desea cancelar?";
    public const string YesCancelTicket = "Sí, cancelar", NoKeepTicket = "No, mantenerlo";
    public const string TicketKept = "Perfecto, su turno sigue igual.";
    public const string TicketNotCancellable = "Este turno ya no se puede cancelar por este chat. Si lo necesita, hable con un asesor en la sede.";
    public const string CancelTicket = "Cancelar turno";

    /// <summary>"12 personas · unos 25 min", for a list row's description.</summary>
    public static string LineWait(int waiting, int minutes) =>
        (waiting == 0 ? "Sin fila" : waiting == 1 ? "1 persona" : $"{waiting} personas") + " · " + (minutes == 0 ? "muy pronto" : $"unos {minutes} min");

    public const string NoRemotePlaces = "Sin cupos a distancia por ahora";

    public static string ArrivalInstruction(string code) =>
        $"Cuando llegue a la sede, confirme su llegada en el kiosco («Tengo cita o turno») con su documento o este código: {code}. Hasta entonces no lo llamarán.";
    public const string LiveAtOnceInstruction = "Ya está en la fila; si no está cuando lo llamen, perderá el turno.";

    public static string TicketTaken(TicketStatusView t, string link) =>
        $"¡Listo! Su turno es {t.Number} para {t.ServiceName} en {t.BranchName}.\n" +
        $"Personas antes de usted: {t.PeopleAhead}. Espera estimada: {(t.EstimatedWaitMinutes == 0 ? "muy pronto" : $"unos {t.EstimatedWaitMinutes} minutos")}.\n" +
        (t.Status == TicketStatus.Remote ? ArrivalInstruction(t.Code) : LiveAtOnceInstruction) + "\n" +
        $"Siga su turno en vivo: {link}\nSi ya no lo necesita, escriba CANCELAR TURNO.";

    public static string ConfirmCancelTicket(TicketStatusView t) =>
        $"¿Seguro que desea cancelar su turno {t.Number} ({t.ServiceName})? Perderá su lugar en la fila.";
    public static string TicketCancelled(TicketStatusView t) =>
        $"Su turno {t.Number} quedó cancelado y su lugar quedó libre. Si necesita otro, escriba TOMAR TURNO.";
    public static string CancelTicketButton(string number) => $"Cancelar {number}";

    // Opt-out.
    public const string OptedOut = "Listo. No le enviaremos más avisos ni recordatorios por WhatsApp. Si cambia de opinión, escriba ALTA.";
    public const string OptedIn = "Listo. Volverá a recibir por WhatsApp los avisos de sus citas y turnos. Escriba BAJA cuando quiera dejar de recibirlos.";

    public static string AskField(string label, bool required) => $"Escriba {label.ToLowerInvariant()}." + (required ? "" : " " + OptionalHint);
    public static string AskChoice(string label) => $"Elija: {label}.";
    public const string DateExample = "Escriba la fecha así: 25/11/1960.";

    public static string Summary(string service, string branch, string? address, DateTime startLocal, IReadOnlyList<string> details) =>
        "Revise su cita:\n" +
        $"• Servicio: {service}\n" +
        $"• Sede: {branch}{(string.IsNullOrWhiteSpace(address) ? "" : $" ({address})")}\n" +
        $"• Fecha: {LongDay(startLocal)}\n" +
        $"• Hora: {Time(startLocal)}\n" +
        string.Concat(details.Select(d => $"• {d}\n")) +
        "¿La confirmo?";

    public static string Booked(AppointmentView a) =>
        $"¡Listo! Su cita quedó agendada. Código: {a.Code}. {LongDay(a.StartLocal)} a las {Time(a.StartLocal)}, {a.BranchName}. " +
        "En un momento le enviamos la confirmación con todos los detalles.";

    public static string AppointmentLine(AppointmentView a) =>
        $"• {a.Code} · {a.ServiceName} · {LongDay(a.StartLocal)}, {Time(a.StartLocal)} · {a.BranchName}";

    public static string MyAppointments(IEnumerable<AppointmentView> list) =>
        "Sus próximas citas:\n" + string.Join("\n", list.Select(AppointmentLine)) + "\n" + MenuHint;

    public static string AppointmentActions(AppointmentView a) => $"Cita {a.Code}: {a.ServiceName}, {LongDay(a.StartLocal)} a las {Time(a.StartLocal)}. ¿Qué desea hacer?";
    public static string ConfirmCancel(AppointmentView a) => $"¿Seguro que desea cancelar su cita {a.Code} del {LongDay(a.StartLocal).ToLowerInvariant()} a las {Time(a.StartLocal)}?";
    public static string Cancelled(AppointmentView a) => $"Su cita {a.Code} quedó cancelada. Si necesita otra, escriba MENÚ y elija «Agendar cita».";
    public static string Rescheduled(AppointmentView a) => $"Listo. Su cita {a.Code} quedó para el {LongDay(a.StartLocal).ToLowerInvariant()} a las {Time(a.StartLocal)}, {a.BranchName}.";
    public static string AskRescheduleDay(AppointmentView a) => $"Vamos a cambiar la fecha de su cita {a.Code}. " + AskDay;
    public static string AskSlot(DateOnly day) => $"Horarios disponibles el {LongDay(day).ToLowerInvariant()}. Elija uno:";
    public static string AppointmentConfirmed(AppointmentView a) => $"¡Gracias por confirmar! Lo esperamos el {LongDay(a.StartLocal).ToLowerInvariant()} a las {Time(a.StartLocal)} en {a.BranchName}.";

    public static string TicketLine(TicketStatusView t, string link)
    {
        var state = t.Status switch
        {
            TicketStatus.Waiting => $"en espera. Personas antes de usted: {t.PeopleAhead}. Espera estimada: " +
                (t.EstimatedWaitMinutes == 0 ? "muy pronto." : $"unos {t.EstimatedWaitMinutes} minutos."),
            TicketStatus.Called => $"¡lo están llamando! Diríjase a {t.CounterName}.",
            TicketStatus.Serving => $"lo están atendiendo en {t.CounterName}.",
            TicketStatus.Remote => "reservado. Confirme su llegada al entrar a la sede.",
            _ => "cerrado.",
        };
        return $"Turno {t.Number} ({t.ServiceName}, {t.BranchName}): {state}\nSígalo en vivo: {link}";
    }

    public static string DocumentTypeName(DocumentType t) => t switch
    {
        DocumentType.CC => "Cédula de ciudadanía",
        DocumentType.CE => "Cédula de extranjería",
        DocumentType.TI => "Tarjeta de identidad",
        DocumentType.PA => "Pasaporte",
        DocumentType.PPT => "Permiso de protección",
        DocumentType.NIT => "NIT",
        _ => "Registro civil",
    };

    static readonly string[] Days = ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"];
    static readonly string[] Months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    /// <summary>"Jueves 26 de noviembre de 2026".</summary>
    public static string LongDay(DateOnly d) => Capital($"{Days[(int)d.DayOfWeek]} {d.Day} de {Months[d.Month - 1]} de {d.Year}");
    public static string LongDay(DateTime local) => LongDay(DateOnly.FromDateTime(local));

    /// <summary>"Jueves 26 nov" for list rows (≤24 characters).</summary>
    public static string ShortDay(DateOnly d) => Capital($"{Days[(int)d.DayOfWeek]} {d.Day} {Months[d.Month - 1][..3]}");

    /// <summary>"10:30 a. m.", as the tickets and the web print it.</summary>
    public static string Time(DateTime local) =>
        $"{(local.Hour % 12 == 0 ? 12 : local.Hour % 12)}:{local.Minute:00} {(local.Hour < 12 ? "a. m." : "p. m.")}";

    static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
