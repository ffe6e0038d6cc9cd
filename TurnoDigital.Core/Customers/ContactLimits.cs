namespace TurnoDigital.Core.Customers;

/// <summary>
/// Abuse caps per phone and per document (configuration section "ContactLimits"), on top of the per-IP limits of the web:
/// nobody fills a branch's agenda or queue, or floods someone else's phone, with one number or one document.
/// </summary>
public sealed class ContactLimits
{
    /// <summary>Upcoming booked appointments, over all services, held by one phone or one document.</summary>
    public int ActiveAppointments { get; set; } = 5;
    /// <summary>Remote tickets (web /fila, WhatsApp) taken the same day by one phone or one document, over all services.</summary>
    public int RemoteTicketsPerDay { get; set; } = 3;
    /// <summary>Appointment and ticket confirmations sent to one phone within an hour; beyond it they are not sent.</summary>
    public int ConfirmationsPerHour { get; set; } = 6;
}
