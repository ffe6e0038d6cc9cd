using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
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
    /// <summary>What to do with a row now: send it, fail it (the person may not be messaged), drop it (overtaken by events) or hold it.</summary>
    public enum Verdict { Send, Block, Drop, Hold }

    public sealed record Decision(Verdict Verdict, string? Reason = null, DateTime? HoldUntil = null)
    {
        public static readonly Decision Send = new(Verdict.Send);
    }

    public const string TicketMovedOnReason = "No enviado: el turno ya avanzó (fue llamado o terminó); el mensaje perdió sentido.";
    public const string AppointmentNotBookedReason = "No enviado: la cita ya no está reservada (cancelada, registrada o vencida).";
    public const string AppointmentMovedReason = "No enviado: la cita cambió de hora; el recordatorio de la nueva hora va aparte.";
    public const string AppointmentRebookedReason = "No enviado: la persona ya eligió una nueva hora para su cita.";

    /// <summary>Kinds held outside the branch's message hours: they are about another day, unlike messages to someone in today's line.</summary>
    public static bool RespectsQuietHours(MessageKind kind) =>
        kind is MessageKind.ReminderDayBefore or MessageKind.ReminderSameDay or MessageKind.CancelledByBranch;

    /// <summary>The whole check right before sending <paramref name="m"/> at <paramref name="now"/>.</summary>
    public async Task<Decision> CheckAsync(TurnoDbContext db, OutboxMessage m, WhatsAppContact? contact, DateTime now, CancellationToken ct = default)
    {
        if (await BlockReasonAsync(db, m, contact, ct) is { } blocked) return new(Verdict.Block, blocked);
        if (await OvertakenReasonAsync(db, m, ct) is { } overtaken) return new(Verdict.Drop, overtaken);
        if (RespectsQuietHours(m.Kind) && m.BranchId is int branchId
            && await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == branchId, ct) is { } branch
            && branch.NextMessageMoment(now) is var next && next > now)
            return new(Verdict.Hold, HoldUntil: next);
        return Decision.Send;
    }

    /// <summary>
    /// The state the row was written for has moved on since: a "turn near" once the ticket was called (a retried one must never
    /// arrive after "being called"), a reminder of an appointment that was cancelled, checked in or moved.
    /// </summary>
    static async Task<string?> OvertakenReasonAsync(TurnoDbContext db, OutboxMessage m, CancellationToken ct)
    {
        if (m.TicketId is long ticketId && m.Kind is MessageKind.TurnNear or MessageKind.ConfirmArrival)
        {
            var status = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId).Select(t => (Queueing.TicketStatus?)t.Status).FirstOrDefaultAsync(ct);
            var current = m.Kind == MessageKind.TurnNear ? Queueing.TicketStatus.Waiting : Queueing.TicketStatus.Remote;
            if (status is not null && status != current) return TicketMovedOnReason;
        }
        if (m.AppointmentId is long appointmentId
            && m.Kind is MessageKind.ReminderDayBefore or MessageKind.ReminderSameDay or MessageKind.AppointmentConfirmation or MessageKind.CancelledByBranch)
        {
            var a = await db.Appointments.AsNoTracking().Where(x => x.Id == appointmentId)
                .Select(x => new { x.Status, x.Start, x.CancelReason }).FirstOrDefaultAsync(ct);
            if (a is null) return null;
            if (m.Kind == MessageKind.CancelledByBranch)
                return a.Status == AppointmentStatus.Cancelled && a.CancelReason == AppointmentCancelReason.Branch ? null : AppointmentRebookedReason;
            if (a.Status != AppointmentStatus.Booked) return AppointmentNotBookedReason;
            if (m.AppointmentStart is { } start && start != a.Start) return AppointmentMovedReason;
        }
        return null;
    }

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
        MessageKind.AppointmentConfirmation or MessageKind.ReminderDayBefore or MessageKind.ReminderSameDay or MessageKind.CancelledByBranch =>
            [ConsentRecord.WhatsAppAppointmentUpdates],
        MessageKind.TicketConfirmation or MessageKind.TurnNear or MessageKind.TicketCalled or MessageKind.RatingRequest or MessageKind.ConfirmArrival =>
            [ConsentRecord.WhatsAppTicketUpdates, ConsentRecord.WhatsAppAppointmentUpdates],
        _ => [],
    };
}
