using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>The booking's intake questions, one field at a time, checked with the web form's <see cref="IntakeValidator"/>.</summary>
public sealed partial class ConversationBot
{
    /// <summary>The service's intake fields one at a time; the phone is the sender's own number and is not asked.</summary>
    async Task AskNextFieldAsync(Turn t, Service service, CancellationToken ct)
    {
        var fields = service.IntakeFields.OrderBy(f => f.Order).ToList();
        while (t.Data.FieldIndex < fields.Count)
        {
            var f = fields[t.Data.FieldIndex];
            if (f.Kind == IntakeFieldKind.Phone && FieldError(f, IntakeFrom(t.Data.Answers, t.Phone)) is null)
            {
                t.Data.Answers[IntakeField.Keys.Phone] = t.Phone;
                t.Data.FieldIndex++;
                continue;
            }
            AskField(t, f, null);
            return;
        }
        if (t.Data.ConsentGiven || await HasWhatsAppConsentAsync(t, ct)) { t.Data.ConsentGiven = true; await AfterConsentAsync(t, ct); }
        else AskConsent(t, null);
    }

    static void AskField(Turn t, IntakeField f, string? error)
    {
        t.Go(States.BookField);
        switch (f.Kind)
        {
            case IntakeFieldKind.Document:
                t.Say(ChatContent.List(Prefixed(error, BotTexts.AskDocumentType), BotTexts.ListButton,
                    Enum.GetValues<DocumentType>().Select(d => new Choice($"doc:{d}", BotTexts.DocumentTypeName(d), d.ToString()))));
                break;
            case IntakeFieldKind.Choice:
                t.Say(ChatContent.List(Prefixed(error, BotTexts.AskChoice(f.Label)), BotTexts.ListButton,
                    f.OptionList.Select((o, i) => new Choice($"opt:{i}", o))));
                break;
            case IntakeFieldKind.Date:
                t.Say(Prefixed(error, BotTexts.AskField(f.Label, f.Required) + " " + BotTexts.DateExample));
                break;
            default:
                t.Say(Prefixed(error, BotTexts.AskField(f.Label, f.Required)));
                break;
        }
    }

    async Task AnswerFieldAsync(Turn t, Input input, CancellationToken ct)
    {
        if (await LoadServiceAsync(t, ct) is not { } service || (t.Data.SlotUtc is null && !t.Data.Ticket))
        {
            if (t.Data.Ticket) await StartTicketAsync(t, ct); else await StartBookingAsync(t, ct);
            return;
        }
        var fields = service.IntakeFields.OrderBy(f => f.Order).ToList();
        if (t.Data.FieldIndex >= fields.Count) { await AskNextFieldAsync(t, service, ct); return; }
        var f = fields[t.Data.FieldIndex];
        var answers = t.Data.Answers;
        var id = input.ChoiceId ?? "";

        if (f.Kind == IntakeFieldKind.Document && (t.State == States.BookField || id.StartsWith("doc:", StringComparison.Ordinal)))
        {
            var type = id.StartsWith("doc:", StringComparison.Ordinal) ? id[4..] : input.Text;
            if (!Enum.TryParse<DocumentType>(type, ignoreCase: true, out var docType) || !Enum.IsDefined(docType))
            {
                AskField(t, f, BotTexts.PickFromList);
                return;
            }
            answers[IntakeField.Keys.DocumentType] = docType.ToString();
            t.Say(BotTexts.AskDocumentNumber);
            t.Go(States.BookDocumentNumber);
            return;
        }

        string? value = f.Kind switch
        {
            IntakeFieldKind.Choice when id.StartsWith("opt:", StringComparison.Ordinal) => f.OptionList.ElementAtOrDefault(IntOf(id)),
            IntakeFieldKind.Choice => f.OptionList.FirstOrDefault(o => Normalize(o) == input.Key) ?? input.Text,
            IntakeFieldKind.Date => DayMonthYear(input.Text) ?? input.Text,
            _ => input.Text,
        };
        if (!f.Required && input.Key == BotTexts.Skip) value = null;
        var key = f.Kind switch
        {
            IntakeFieldKind.Document => IntakeField.Keys.Document,
            IntakeFieldKind.FullName => IntakeField.Keys.FullName,
            IntakeFieldKind.Phone => IntakeField.Keys.Phone,
            IntakeFieldKind.Email => IntakeField.Keys.Email,
            _ => f.Key,
        };
        answers[key] = value;
        if (FieldError(f, IntakeFrom(answers, null)) is { } error)
        {
            answers.Remove(key);
            // A bad document number asks for the number again, not the type.
            if (f.Kind == IntakeFieldKind.Document) t.Say(Prefixed(error, BotTexts.AskDocumentNumber));
            else AskField(t, f, error);
            return;
        }
        t.Data.FieldIndex++;
        await AskNextFieldAsync(t, service, ct);
    }

    /// <summary>
    /// Asked once: a person whose WhatsApp consent for appointments (or, taking a ticket, for ticket updates) is on record and
    /// not withdrawn is not asked again.
    /// </summary>
    static Task<bool> HasWhatsAppConsentAsync(Turn t, CancellationToken ct)
    {
        var purpose = t.Data.Ticket ? ConsentRecord.WhatsAppTicketUpdates : ConsentRecord.WhatsAppAppointmentUpdates;
        return t.Db.Customers.Where(c => c.Phone == t.CustomerPhone).SelectMany(c => c.Consents)
            .AnyAsync(c => c.Purpose == purpose && c.WithdrawnAt == null, ct);
    }

    /// <summary>Consent given (now or before): a booking shows its summary, a remote ticket is taken at once.</summary>
    Task AfterConsentAsync(Turn t, CancellationToken ct) => t.Data.Ticket ? TakeTicketAsync(t, ct) : ShowSummaryAsync(t, ct);

    static IntakeInput IntakeFrom(Dictionary<string, string?> answers, string? phone) => new(
        Enum.TryParse<DocumentType>(answers.GetValueOrDefault(IntakeField.Keys.DocumentType), out var type) ? type : null,
        answers.GetValueOrDefault(IntakeField.Keys.Document), answers.GetValueOrDefault(IntakeField.Keys.FullName),
        phone ?? answers.GetValueOrDefault(IntakeField.Keys.Phone), answers.GetValueOrDefault(IntakeField.Keys.Email), answers);

    /// <summary>The web form's rules (<see cref="IntakeValidator"/>) applied to one field; null when the answer is valid.</summary>
    static string? FieldError(IntakeField field, IntakeInput input)
    {
        try
        {
            IntakeValidator.Validate([field], input);
            return null;
        }
        catch (IntakeValidationException ex)
        {
            return ex.Errors.Values.FirstOrDefault();
        }
    }

    /// <summary>Older adults write dates as 25/11/1960; the shared validator wants 1960-11-25.</summary>
    static string? DayMonthYear(string text)
    {
        var formats = new[] { "d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "d M yyyy" };
        return DateOnly.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    }
}
