using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Privacy;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>
/// The one check right before a row is sent: what was true when the row was written (consent, no opt-out) may have changed
/// since. Every rule that can stop a send belongs here, so the dispatcher asks one place. A blocked row fails with the reason.
/// </summary>
public sealed class SendGate(NumberHash hashes)
{
    public const string ErasedReason = "No enviado: los datos de la persona fueron suprimidos (Ley 1581).";
    public const string SuppressedReason = "No enviado: el número está en la lista de supresión (supresión de datos o BAJA).";
    public const string OptedOutReason = "La persona pidió no recibir más mensajes (BAJA).";
    public const string ConsentWithdrawnReason = "No enviado: la persona retiró su autorización para estos mensajes.";

    /// <summary>Answers in a conversation the person is having: they asked for them, so opt-out and consent rules do not apply.</summary>
    public static bool IsConversational(MessageKind kind) => kind is MessageKind.Reply or MessageKind.OptOutConfirmation;

    /// <summary>Why <paramref name="m"/> must not be sent now, or null when it may go. <paramref name="contact"/> is the recipient's bot record.</summary>
    public async Task<string?> BlockReasonAsync(TurnoDbContext db, OutboxMessage m, WhatsAppContact? contact, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(m.To) || m.To == PersonalDataService.Anonymous) return ErasedReason;
        var customer = m.CustomerId is int id ? await db.Customers.AsNoTracking().Include(c => c.Consents).FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        if (customer?.AnonymisedAt is not null) return ErasedReason;
        if (IsConversational(m.Kind)) return null;

        var hash = hashes.Of(m.To);
        if (await db.SuppressedNumbers.AsNoTracking().FirstOrDefaultAsync(s => s.Hash == hash, ct) is { } suppressed
            && !(customer?.Consents.Any(c => c.GivenAt > suppressed.At && c.WithdrawnAt == null) ?? false))
            return SuppressedReason; // lifted only by a consent given after the suppression
        if (contact?.OptedOutAt is not null) return OptedOutReason;
        var purposes = Purposes(m.Kind);
        // Only a withdrawal blocks: some rows never needed consent (a booking made in a WhatsApp conversation is confirmed there).
        if (customer is not null && purposes.Length > 0 && customer.Consents.Any(c => purposes.Contains(c.Purpose))
            && !customer.Consents.Any(c => purposes.Contains(c.Purpose) && c.WithdrawnAt == null))
            return ConsentWithdrawnReason;
        return null;
    }

    static string[] Purposes(MessageKind kind) => kind switch
    {
        MessageKind.AppointmentConfirmation or MessageKind.ReminderDayBefore or MessageKind.ReminderSameDay => [ConsentRecord.WhatsAppAppointmentUpdates],
        MessageKind.TicketConfirmation or MessageKind.TurnNear or MessageKind.TicketCalled or MessageKind.RatingRequest or MessageKind.ConfirmArrival =>
            [ConsentRecord.WhatsAppTicketUpdates, ConsentRecord.WhatsAppAppointmentUpdates],
        _ => [],
    };
}
