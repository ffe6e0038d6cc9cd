using System.Globalization;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web.Components.Pages.Supervisor.Components;

/// <summary>Labels, icons and number formats shared by the supervisor screens.</summary>
public static class SupervisionText
{
    static readonly CultureInfo Co = CultureInfo.GetCultureInfo("es-CO");
    static CultureInfo Culture => Ui.IsEnglish ? CultureInfo.GetCultureInfo("en") : Co;

    /// <summary>The signed-in user's id, name and whether they are an admin (who sees every branch).</summary>
    public static async Task<(string? Id, string? Name, bool IsAdmin)> WhoAsync(Task<AuthenticationState> state)
    {
        var user = (await state).User;
        return (user.UserId(), user.Identity?.Name, user.IsInRole(Roles.Admin));
    }

    public static string Channel(Channel c) => c switch
    {
        Core.Common.Channel.Kiosk => Ui.T("Kiosco", "Kiosk"),
        Core.Common.Channel.WhatsApp => "WhatsApp",
        Core.Common.Channel.Web => "Web",
        Core.Common.Channel.InPerson => Ui.T("Presencial", "In person"),
        _ => "API",
    };

    public static string ChannelIcon(Channel c) => c switch
    {
        Core.Common.Channel.Kiosk => Icons.Material.Filled.TouchApp,
        Core.Common.Channel.WhatsApp => Icons.Custom.Brands.WhatsApp,
        Core.Common.Channel.Web => Icons.Material.Filled.Language,
        Core.Common.Channel.InPerson => Icons.Material.Filled.Person,
        _ => Icons.Material.Filled.Api,
    };

    public static string Minutes(double? minutes) => minutes is { } m ? $"{m.ToString("0.0", Culture)} min" : "—";

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0", Culture) + " %" : "—";

    public static string Rating(double? average, int count) => average is { } a ? $"{a.ToString("0.0", Culture)} ({count})" : $"— ({count})";

    public static string State(AgentState s) => s switch
    {
        AgentState.Serving => Ui.T("Atendiendo", "Serving"),
        AgentState.Paused => Ui.T("En pausa", "Paused"),
        _ => Ui.T("Disponible", "Idle"),
    };

    public static (Color Color, string Icon) StateLook(AgentState s) => s switch
    {
        AgentState.Serving => (Color.Success, Icons.Material.Filled.SupportAgent),
        AgentState.Paused => (Color.Warning, Icons.Material.Filled.PauseCircle),
        _ => (Color.Info, Icons.Material.Filled.HourglassEmpty),
    };

    public static string Event(JourneyEventKind k) => k switch
    {
        JourneyEventKind.TicketIssued => Ui.T("Turno entregado", "Ticket issued"),
        JourneyEventKind.TicketCalled => Ui.T("Llamado a ventanilla", "Called to counter"),
        JourneyEventKind.TicketRecalled => Ui.T("Llamado de nuevo", "Called again"),
        JourneyEventKind.ServiceStarted => Ui.T("Inicio de atención", "Service started"),
        JourneyEventKind.ServiceCompleted => Ui.T("Atención finalizada", "Service completed"),
        JourneyEventKind.TicketNoShow => Ui.T("No se presentó", "No-show"),
        JourneyEventKind.TicketTransferred => Ui.T("Transferido", "Transferred"),
        JourneyEventKind.TicketExpired => Ui.T("Turno vencido", "Ticket expired"),
        JourneyEventKind.ConsentGiven => Ui.T("Autorización de datos", "Consent given"),
        JourneyEventKind.AppointmentBooked => Ui.T("Cita agendada", "Appointment booked"),
        JourneyEventKind.AppointmentRescheduled => Ui.T("Cita reprogramada", "Appointment rescheduled"),
        JourneyEventKind.AppointmentCancelled => Ui.T("Cita cancelada", "Appointment cancelled"),
        JourneyEventKind.AppointmentCheckedIn => Ui.T("Llegada (check-in)", "Checked in"),
        JourneyEventKind.AppointmentNoShow => Ui.T("No asistió a la cita", "Appointment no-show"),
        JourneyEventKind.AppointmentConfirmed => Ui.T("Cita confirmada", "Appointment confirmed"),
        JourneyEventKind.ServiceRated => Ui.T("Calificó la atención", "Rated the service"),
        JourneyEventKind.OptedOut => Ui.T("Se dio de baja", "Opted out"),
        JourneyEventKind.RemoteTicketIssued => Ui.T("Turno remoto", "Remote ticket"),
        JourneyEventKind.ArrivalConfirmed => Ui.T("Confirmó llegada", "Arrival confirmed"),
        JourneyEventKind.TicketCancelled => Ui.T("Turno cancelado", "Ticket cancelled"),
        _ => k.ToString(),
    };

    public static string Message(MessageKind k) => k switch
    {
        MessageKind.Reply => Ui.T("Respuesta del asistente", "Bot reply"),
        MessageKind.AppointmentConfirmation => Ui.T("Confirmación de cita", "Appointment confirmation"),
        MessageKind.ReminderDayBefore => Ui.T("Recordatorio (día anterior)", "Reminder (day before)"),
        MessageKind.ReminderSameDay => Ui.T("Recordatorio (mismo día)", "Reminder (same day)"),
        MessageKind.TicketConfirmation => Ui.T("Confirmación de turno", "Ticket confirmation"),
        MessageKind.TurnNear => Ui.T("Su turno está cerca", "Your turn is near"),
        MessageKind.TicketCalled => Ui.T("Aviso de llamado", "Called notice"),
        MessageKind.RatingRequest => Ui.T("Solicitud de calificación", "Rating request"),
        MessageKind.ConfirmArrival => Ui.T("Confirmar llegada", "Confirm arrival"),
        MessageKind.OptOutConfirmation => Ui.T("Confirmación de baja", "Opt-out confirmation"),
        _ => k.ToString(),
    };

    public static string Status(OutboxStatus s) => s switch
    {
        OutboxStatus.Pending => Ui.T("Pendiente", "Pending"),
        OutboxStatus.Sent => Ui.T("Enviado", "Sent"),
        OutboxStatus.Delivered => Ui.T("Entregado", "Delivered"),
        OutboxStatus.Read => Ui.T("Leído", "Read"),
        OutboxStatus.Failed => Ui.T("Fallido", "Failed"),
        _ => Ui.T("Vencido", "Expired"),
    };

    public static Color StatusColor(OutboxStatus s) => s switch
    {
        OutboxStatus.Failed => Color.Error,
        OutboxStatus.Expired => Color.Warning,
        OutboxStatus.Read or OutboxStatus.Delivered => Color.Success,
        _ => Color.Default,
    };
}
