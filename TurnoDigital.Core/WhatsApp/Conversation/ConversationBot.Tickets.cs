using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.WhatsApp.Conversation;

/// <summary>"Estado de mi turno" and ratings ("rate:{ticketId}:{1-5}", the rating request's options or a typed digit).</summary>
public sealed partial class ConversationBot
{
    static readonly TicketStatus[] OpenStatuses = [TicketStatus.Waiting, TicketStatus.Called, TicketStatus.Serving, TicketStatus.Remote];

    async Task ShowTicketsAsync(Turn t, CancellationToken ct)
    {
        // Today's tickets: every open ticket is closed (Expired) at the end of its service day.
        var since = t.Now.AddHours(-24);
        var codes = await t.Db.Tickets.AsNoTracking()
            .Where(x => x.Customer!.Phone == t.Phone && OpenStatuses.Contains(x.Status) && x.IssuedAt >= since)
            .OrderBy(x => x.IssuedAt).Select(x => x.Code).Take(5).ToListAsync(ct);
        var lines = new List<string>();
        foreach (var code in codes)
            if (await queries.GetStatusAsync(code, ct) is { } status) // the same figures as the /t/ status page
                lines.Add(BotTexts.TicketLine(status, $"{Options.PublicBaseUrl.TrimEnd('/')}/t/{code}"));
        t.Say(lines.Count == 0 ? BotTexts.NoTickets + " " + BotTexts.MenuHint : string.Join("\n\n", lines));
    }

    async Task RateAsync(Turn t, string id, CancellationToken ct)
    {
        t.Restart();
        var parts = id.Split(':');
        var ticket = parts.Length == 3 && long.TryParse(parts[1], out var ticketId)
            ? await t.Db.Tickets.Include(x => x.Customer).FirstOrDefaultAsync(x => x.Id == ticketId, ct) : null;
        if (ticket is null || ticket.Customer?.Phone != t.Phone || !int.TryParse(parts[2], out var score) || score is < 1 or > 5)
        {
            t.Say(BotTexts.TicketNotFound + " " + BotTexts.MenuHint);
            return;
        }
        if (ticket.Rating is not null)
        {
            t.Say(BotTexts.AlreadyRated);
            return;
        }
        ticket.Rating = score;
        ticket.RatedAt = t.Now;
        ticket.Version++;
        JourneyLog.Add(t.Db, ticket, JourneyEventKind.ServiceRated, t.Now, data: new { score });
        // The ticket overload records the ticket's own channel (kiosk…); the rating itself came by WhatsApp.
        t.Db.JourneyEvents.Local.Single(e => e.Ticket == ticket && e.Kind == JourneyEventKind.ServiceRated).Channel = Channel.WhatsApp;
        t.Say(BotTexts.RatingThanks);
    }
}
