using System.Globalization;
using Microsoft.Extensions.Localization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Security;
using TurnoDigital.Web.Resources;

namespace TurnoDigital.Web.Components.Pages.Supervisor.Components;

/// <summary>Labels, icons and number formats shared by the supervisor screens.</summary>
public static class SupervisionText
{
    static IStringLocalizer L => Texts.Of<SupervisorText>();

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
        Core.Common.Channel.Kiosk => L["SupervisionText.Kiosk"],
        Core.Common.Channel.WhatsApp => "WhatsApp",
        Core.Common.Channel.Web => "Web",
        Core.Common.Channel.InPerson => L["SupervisionText.Person"],
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
        AgentState.Serving => L["SupervisionText.Serving"],
        AgentState.Paused => L["SupervisionText.Paused"],
        _ => L["SupervisionText.Idle"],
    };

    public static (Color Color, string Icon) StateLook(AgentState s) => s switch
    {
        AgentState.Serving => (Color.Success, Icons.Material.Filled.SupportAgent),
        AgentState.Paused => (Color.Warning, Icons.Material.Filled.PauseCircle),
        _ => (Color.Info, Icons.Material.Filled.HourglassEmpty),
    };

    public static string Event(JourneyEventKind k) => k switch
    {
        JourneyEventKind.TicketIssued => L["SupervisionText.TicketIssued"],
        JourneyEventKind.TicketCalled => L["SupervisionText.CalledCounter"],
        JourneyEventKind.TicketRecalled => L["SupervisionText.CalledAgain"],
        JourneyEventKind.ServiceStarted => L["SupervisionText.ServiceStarted"],
        JourneyEventKind.ServiceCompleted => L["SupervisionText.ServiceCompleted"],
        JourneyEventKind.TicketNoShow => L["SupervisionText.NoShow"],
        JourneyEventKind.TicketTransferred => L["SupervisionText.Transferred"],
        JourneyEventKind.TicketExpired => L["SupervisionText.TicketExpired"],
        JourneyEventKind.ConsentGiven => L["SupervisionText.ConsentGiven"],
        JourneyEventKind.AppointmentBooked => L["SupervisionText.AppointmentBooked"],
        JourneyEventKind.AppointmentRescheduled => L["SupervisionText.AppointmentRescheduled"],
        JourneyEventKind.AppointmentCancelled => L["SupervisionText.AppointmentCancelled"],
        JourneyEventKind.AppointmentCheckedIn => L["SupervisionText.Checked"],
        JourneyEventKind.AppointmentNoShow => L["SupervisionText.AppointmentNoShow"],
        JourneyEventKind.AppointmentConfirmed => L["SupervisionText.AppointmentConfirmed"],
        JourneyEventKind.ServiceRated => L["SupervisionText.RatedService"],
        JourneyEventKind.OptedOut => L["SupervisionText.OptedOut"],
        JourneyEventKind.RemoteTicketIssued => L["SupervisionText.RemoteTicket"],
        JourneyEventKind.ArrivalConfirmed => L["SupervisionText.ArrivalConfirmed"],
        JourneyEventKind.TicketCancelled => L["SupervisionText.TicketCancelled"],
        JourneyEventKind.ServiceClosedBySystem => L["SupervisionText.ServiceClosedBySystem"],
        JourneyEventKind.TicketNotArrived => L["SupervisionText.TicketNotArrived"],
        JourneyEventKind.TicketReactivated => L["SupervisionText.TicketReactivated"],
        JourneyEventKind.FairnessTurn => L["SupervisionText.FairnessTurn"],
        _ => k.ToString(),
    };

    public static string Message(MessageKind k) => k switch
    {
        MessageKind.Reply => L["SupervisionText.BotReply"],
        MessageKind.AppointmentConfirmation => L["SupervisionText.AppointmentConfirmation"],
        MessageKind.ReminderDayBefore => L["SupervisionText.ReminderDayBefore"],
        MessageKind.ReminderSameDay => L["SupervisionText.ReminderSameDay"],
        MessageKind.TicketConfirmation => L["SupervisionText.TicketConfirmation"],
        MessageKind.TurnNear => L["SupervisionText.TurnNear"],
        MessageKind.TicketCalled => L["SupervisionText.CalledNotice"],
        MessageKind.RatingRequest => L["SupervisionText.RatingRequest"],
        MessageKind.ConfirmArrival => L["SupervisionText.ConfirmArrival"],
        MessageKind.OptOutConfirmation => L["SupervisionText.OptOutConfirmation"],
        MessageKind.ClosedNotArrived => L["SupervisionText.ClosedNotArrived"],
        MessageKind.TicketReactivated => L["SupervisionText.ReactivatedNotice"],
        _ => k.ToString(),
    };

    public static string Status(OutboxStatus s) => s switch
    {
        OutboxStatus.Pending => L["SupervisionText.Pending"],
        OutboxStatus.Sent => L["SupervisionText.Sent"],
        OutboxStatus.Delivered => L["SupervisionText.Delivered"],
        OutboxStatus.Read => L["SupervisionText.Read"],
        OutboxStatus.Failed => L["SupervisionText.Failed"],
        _ => L["SupervisionText.Expired"],
    };

    public static Color StatusColor(OutboxStatus s) => s switch
    {
        OutboxStatus.Failed => Color.Error,
        OutboxStatus.Expired => Color.Warning,
        OutboxStatus.Read or OutboxStatus.Delivered => Color.Success,
        _ => Color.Default,
    };
}
