using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>
/// "BAJA"/"STOP" (Ley 1581 de 2012): at once, the contact is marked opted out and every WhatsApp consent of the customers
/// with this number is withdrawn; the confirmation is the one message still sent.
/// Decision: writing again does not undo it. The person still gets answers to their own messages (replies, not
/// notifications); notifications resume only after a new express consent: "ALTA"/"START" here (recorded as new consents
/// for the purposes that were withdrawn), or the consent step of a new booking in this chat.
/// </summary>
public sealed partial class ConversationBot
{
    public const string OptInTextVersion = "whatsapp-alta-2026-11";
    static readonly string[] WhatsAppPurposes = [ConsentRecord.WhatsAppTicketUpdates, ConsentRecord.WhatsAppAppointmentUpdates];

    async Task OptOutAsync(Turn t, CancellationToken ct)
    {
        t.Restart();
        t.Contact.OptedOutAt ??= t.Now;
        var customers = await t.Db.Customers.Include(c => c.Consents).Where(c => c.Phone == t.CustomerPhone).ToListAsync(ct);
        foreach (var customer in customers)
            customer.WithdrawConsents(WhatsAppPurposes, Channel.WhatsApp, t.Now, await LatestBranchAsync(t, customer.Id, ct));
        t.Say(ChatContent.Text(BotTexts.OptedOut), MessageKind.OptOutConfirmation);
    }

    async Task OptInAsync(Turn t, CancellationToken ct)
    {
        t.Restart();
        if (t.Contact.OptedOutAt is not null)
        {
            t.Contact.OptedOutAt = null;
            var customers = await t.Db.Customers.Include(c => c.Consents).Where(c => c.Phone == t.CustomerPhone).ToListAsync(ct);
            foreach (var customer in customers)
                foreach (var purpose in WhatsAppPurposes)
                {
                    var latest = customer.Consents.Where(c => c.Purpose == purpose).MaxBy(c => c.GivenAt);
                    if (latest is { WithdrawnAt: not null })
                        customer.Consents.Add(ConsentRecord.Given(purpose, Channel.WhatsApp, OptInTextVersion, t.Now));
                }
        }
        t.Say(BotTexts.OptedIn);
    }

    static async Task<int?> LatestBranchAsync(Turn t, int customerId, CancellationToken ct)
    {
        var ticket = await t.Db.Tickets.Where(x => x.CustomerId == customerId).OrderByDescending(x => x.IssuedAt)
            .Select(x => new { x.BranchId, At = x.IssuedAt }).FirstOrDefaultAsync(ct);
        var appointment = await t.Db.Appointments.Where(x => x.CustomerId == customerId).OrderByDescending(x => x.CreatedAt)
            .Select(x => new { x.BranchId, At = x.CreatedAt }).FirstOrDefaultAsync(ct);
        return (ticket, appointment) switch
        {
            (null, null) => null,
            (null, { } a) => a.BranchId,
            ({ } tk, null) => tk.BranchId,
            ({ } tk, { } a) => tk.At >= a.At ? tk.BranchId : a.BranchId,
        };
    }
}
