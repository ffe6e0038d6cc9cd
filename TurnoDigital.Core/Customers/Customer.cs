using TurnoDigital.Core.Common;

namespace TurnoDigital.Core.Customers;

public enum DocumentType { CC, CE, TI, PA, PPT, NIT, RC }

/// <summary>A person the branch knows something about. Personal data is minimised: the kiosk only asks a phone.</summary>
public class Customer : Entity
{
    public const int PhoneMax = 16, DocumentMax = 20, NameMax = 120, EmailMax = 120;

    public int Id { get; set; }
    /// <summary>Mobile, in E.164 (e.g. +573001234567).</summary>
    public PhoneNumber? Phone { get; set; }
    /// <summary>Owned: the columns DocumentType and DocumentNumber, indexed together.</summary>
    public DocumentId? Document { get; set; }
    public string? FullName { get; set; }
    public EmailAddress? Email { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Set when personal data was removed (retention or an erasure request); the visits stay as anonymous history.</summary>
    public DateTime? AnonymisedAt { get; set; }
    public List<ConsentRecord> Consents { get; set; } = [];

    /// <summary>
    /// Withdraws the consents for <paramref name="purposes"/> at once. The journey records it in the branch of the person's
    /// latest visit; someone who never visited has no journey, and the withdrawn consents are the record then.
    /// </summary>
    public void WithdrawConsents(IReadOnlyCollection<string> purposes, Channel channel, DateTime now, int? latestBranchId)
    {
        foreach (var consent in Consents.Where(c => purposes.Contains(c.Purpose) && c.WithdrawnAt == null))
            consent.WithdrawnAt = now;
        if (latestBranchId is int branchId)
            Record(new Journeys.JourneyEvent { BranchId = branchId, Customer = this, Kind = Journeys.JourneyEventKind.OptedOut, Channel = channel, At = now });
    }
}

/// <summary>Ley 1581 de 2012: prior, express, informed consent, per purpose and channel, with the text version shown.</summary>
public class ConsentRecord
{
    public const int PurposeMax = 60, VersionMax = 20;
    public const string WhatsAppTicketUpdates = "whatsapp-ticket-updates";
    public const string WhatsAppAppointmentUpdates = "whatsapp-appointment-updates";
    public const string DataProcessing = "data-processing";

    public static ConsentRecord Given(string purpose, Channel channel, string textVersion, DateTime now) =>
        new() { Purpose = purpose, Channel = channel, TextVersion = textVersion, GivenAt = now };

    public int Id { get; set; }
    public int CustomerId { get; set; }
    public string Purpose { get; set; } = "";
    public Channel Channel { get; set; }
    public string TextVersion { get; set; } = "";
    public DateTime GivenAt { get; set; }
    public DateTime? WithdrawnAt { get; set; }
}
