using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Conversation;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>"Tomar turno" and "Cancelar turno" in the bot (demo: Trámites asks to confirm arrival, Caja is live at once); Wed 25 Nov 2026, 10:00 Bogotá.</summary>
public class RemoteTicketConversationTests : IAsyncLifetime
{
    const string Tramites = "Trámites y certificados";
    CoreHarness h = default!;
    BotChat chat = default!;

    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        chat = new BotChat(h);
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    static OutgoingContent Single(List<OutgoingContent> replies) => Assert.Single(replies);
    static string[] Ids(OutgoingContent c) => ChatContent.Options(c).Select(o => o.Id).ToArray();

    async Task<string> RowIdAsync(string service) => $"tk:{(await h.ServiceAsync(service)).Id}";

    async Task SetAsync(string service, Action<TurnoDigital.Core.Organization.Service> change)
    {
        await using var db = h.Db();
        change(await db.Services.SingleAsync(s => s.Name == service));
        await db.SaveChangesAsync();
    }

    /// <summary>Caja asks no intake: service, consent (first time), ticket.</summary>
    async Task<OutgoingContent> TakeCajaAsync(BotChat who, bool consentAsked = true)
    {
        await who.TapAsync("menu:ticket-take", "Tomar turno");
        var next = Single(await who.TapAsync(await RowIdAsync("Caja"), "Caja"));
        if (!consentAsked) return next;
        Assert.Equal(["consent:yes", "consent:no"], Ids(next));
        return Single(await who.TapAsync("consent:yes", "Acepto"));
    }

    async Task<Ticket> OnlyTicketOfAsync(string phone = BotChat.Phone)
    {
        await using var db = h.Db();
        return await db.Tickets.AsNoTracking().Include(t => t.Customer).ThenInclude(c => c!.Consents).SingleAsync(t => t.Customer!.Phone == PhoneNumber.Parse(phone));
    }

    [Fact]
    public async Task A_ticket_for_Tramites_asks_the_intake_and_consent_and_says_how_to_confirm_the_arrival()
    {
        await h.IssueAsync("Caja");
        await h.IssueAsync("Caja");
        Assert.Equal(1, Ids(Single(await chat.SayAsync("Hola"))).ToList().IndexOf("menu:ticket-take"));
        var services = Single(await chat.SayAsync("2"));                                   // "Tomar turno", typed
        Assert.Equal(BotTexts.AskTicketService, services.Text);
        // Walk-in services open now that take remote tickets: not Información (no remote) nor Asesoría (appointments only).
        Assert.Equal([await RowIdAsync("Caja"), await RowIdAsync(Tramites)], Ids(services));
        Assert.Equal("2 personas · unos 8 min", ChatContent.Options(services)[0].Description);
        Assert.Equal("Sin fila · muy pronto", ChatContent.Options(services)[1].Description);

        Assert.Contains("doc:CC", Ids(Single(await chat.TapAsync(await RowIdAsync(Tramites), Tramites))));
        Assert.Contains("número de documento", Single(await chat.TapAsync("doc:CC")).Text);
        Assert.Contains("nombre completo", Single(await chat.SayAsync("1.020.304.050")).Text);
        Assert.Contains("correo electrónico", Single(await chat.SayAsync("María Pérez")).Text);
        await chat.SayAsync("omitir");
        var consent = Single(await chat.TapAsync("opt:1", "Paz y salvo"));
        Assert.Equal(BotTexts.TicketConsentText, consent.Text);
        var done = Single(await chat.TapAsync("consent:yes", "Acepto")).Text;

        var ticket = await OnlyTicketOfAsync();
        Assert.Equal((Channel.WhatsApp, TicketStatus.Remote, "D-001"), (ticket.Channel, ticket.Status, ticket.Number));
        Assert.Equal(("1020304050", "María Pérez"), (ticket.Customer!.Document?.Number, ticket.Customer.FullName));
        Assert.Contains("Paz y salvo", ticket.IntakeData);
        Assert.Contains(ticket.Customer.Consents, c => c.Purpose == ConsentRecord.WhatsAppTicketUpdates && c.Channel == Channel.WhatsApp);
        Assert.Contains(ticket.Customer.Consents, c => c.Purpose == ConsentRecord.DataProcessing);

        Assert.Contains("Su turno es D-001 para Trámites y certificados en Sede Centro.", done);
        Assert.Contains("Personas antes de usted: 0.", done);
        Assert.Contains($"http://localhost:5050/t/{ticket.Code}", done);
        Assert.Contains($"Cuando llegue a la sede, confirme su llegada en el kiosco («Tengo cita o turno») con su documento o este código: {ticket.Code}.", done);

        await using var db = h.Db();
        var issued = await db.JourneyEvents.SingleAsync(e => e.TicketId == ticket.Id);
        Assert.Equal((JourneyEventKind.RemoteTicketIssued, Channel.WhatsApp), (issued.Kind, issued.Channel));
        // The bot's answer is the confirmation: nothing else is sent (already near: only a stored, unsent marker).
        Assert.DoesNotContain(await db.Outbox.ToListAsync(), o => o.Kind != MessageKind.Reply && o.Status == OutboxStatus.Pending);
        var contact = await chat.ContactAsync();
        Assert.Equal(("menu", ticket.CustomerId), (contact.State, contact.CustomerId));
    }

    [Fact]
    public async Task Caja_is_live_at_once_and_the_same_message_handed_again_takes_one_ticket()
    {
        await h.IssueAsync("Caja");
        await chat.TapAsync("menu:ticket-take");
        await chat.TapAsync(await RowIdAsync("Caja"));
        var before = await chat.ContactAsync();
        var first = Single(await chat.TapAsync("consent:yes")).Text;
        var take = chat.Last!;

        var ticket = await OnlyTicketOfAsync();
        Assert.Equal((Channel.WhatsApp, TicketStatus.Waiting), (ticket.Channel, ticket.Status));
        Assert.Contains("Personas antes de usted: 1. Espera estimada: unos 4 minutos.", first);
        Assert.Contains(BotTexts.LiveAtOnceInstruction, first);
        Assert.DoesNotContain("kiosco", first);

        // A crash after the ticket but before the conversation was saved: the message is handled again, the ticket is the same.
        await using (var db = h.Db())
        {
            await db.Outbox.Where(o => o.DedupeKey.StartsWith($"reply:{take.WaMessageId}:")).ExecuteDeleteAsync();
            await db.WhatsAppContacts.Where(c => c.WaId == BotChat.Number)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.State, before.State).SetProperty(c => c.Data, before.Data));
        }
        await chat.Bot.HandleAsync(take);
        Assert.Equal(first, Single(await chat.RepliesAsync(take)).Text);
        await using var check = h.Db();
        Assert.Equal(1, await check.Tickets.CountAsync(t => t.Channel == Channel.WhatsApp));
    }

    [Fact]
    public async Task One_active_ticket_per_number_and_the_cap_are_refused_with_the_rules_message()
    {
        var ticket = await TakeCajaAsync(chat);
        Assert.Contains("A-001", ticket.Text);
        // Consent is on record now: the refusal comes at once, before any question.
        var again = (await TakeCajaAsync(chat, consentAsked: false)).Text;
        // Neutral: the same words whether the number or a document holds the ticket, and no ticket number.
        Assert.Equal("No es posible tomar más turnos a distancia con estos datos por ahora. Si ya tomó uno, revise el enlace que recibió, o tome el turno en la sede. "
            + BotTexts.MenuHint, again);
        Assert.Equal("menu", (await chat.ContactAsync()).State);

        await SetAsync("Caja", s => s.RemoteTicketCap = 1);
        var other = new BotChat(h, "573109998877");
        var list = Single(await other.TapAsync("menu:ticket-take"));
        Assert.Equal(BotTexts.NoRemotePlaces, ChatContent.Options(list).Single(o => o.Title == "Caja").Description);
        var full = Single(await other.TapAsync(await RowIdAsync("Caja"))).Text;
        Assert.StartsWith("Por ahora no hay cupos para turnos a distancia en este servicio.", full);
        await using var db = h.Db();
        Assert.Equal(1, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task No_service_taking_remote_tickets_is_said_plainly()
    {
        await SetAsync("Caja", s => s.AllowsRemoteTickets = false);
        await SetAsync(Tramites, s => s.AllowsRemoteTickets = false);
        Assert.Equal(BotTexts.NoRemoteServices, Single(await chat.TapAsync("menu:ticket-take")).Text);
        Assert.Equal("menu", (await chat.ContactAsync()).State);
    }

    const string NextOpening = "jueves 26 de noviembre a las 8:00 a. m.";

    [Fact]
    public async Task After_a_supervisor_closes_the_day_the_bot_takes_no_ticket_and_names_the_next_opening()
    {
        var branchId = await h.OpenEightToFiveAsync();
        await chat.TapAsync("menu:ticket-take");
        Assert.Equal(["consent:yes", "consent:no"], Ids(Single(await chat.TapAsync(await RowIdAsync("Caja"), "Caja")))); // halfway when the day closes
        var other = new BotChat(h, "573109998877");
        Assert.Contains(await RowIdAsync(Tramites), Ids(Single(await other.TapAsync("menu:ticket-take")))); // the list is open on their phone
        string supervisor;
        await using (var db = h.Db()) supervisor = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();
        await h.Queue.CloseDayAsync(branchId, supervisor, "Corte de energía");

        // The issue path refuses: in Spanish, with tomorrow's opening (not later today), and back to the menu.
        var refused = Single(await chat.TapAsync("consent:yes", "Acepto")).Text;
        Assert.Equal($"La sede ya cerró el día y no entrega más turnos hoy. Vuelve a abrir el {NextOpening} {BotTexts.MenuHint}", refused);
        Assert.Equal("menu", (await chat.ContactAsync()).State);

        // Asked again: no list of services to pick from, the branch's next opening instead.
        Assert.Equal($"Sede Centro ya cerró el día y no entrega más turnos hoy. Vuelve a abrir el {NextOpening}. {BotTexts.MenuHint}",
            Single(await chat.TapAsync("menu:ticket-take")).Text);
        // A row of the list shown before the close is refused before any intake question.
        Assert.Equal($"La sede ya cerró el día y no entrega más turnos hoy. Vuelve a abrir el {NextOpening} {BotTexts.MenuHint}",
            Single(await other.TapAsync(await RowIdAsync(Tramites), Tramites)).Text);
        await using var check = h.Db();
        Assert.Equal(0, await check.Tickets.CountAsync());
    }

    [Fact]
    public async Task After_closing_time_the_bot_names_the_next_opening()
    {
        await h.OpenEightToFiveAsync();
        h.Clock.Advance(TimeSpan.FromHours(8)); // Wednesday 18:00
        Assert.Equal($"Sede Centro está cerrada y no entrega turnos ahora. Vuelve a abrir el {NextOpening}. {BotTexts.MenuHint}",
            Single(await chat.TapAsync("menu:ticket-take")).Text);
        Assert.Equal("menu", (await chat.ContactAsync()).State);
    }

    [Fact]
    public async Task Cancel_asks_first_then_frees_the_place_with_a_WhatsApp_journey_event()
    {
        await TakeCajaAsync(chat);
        var ticket = await OnlyTicketOfAsync();

        // Typed: the one ticket is asked about; "no" keeps it.
        var ask = Single(await chat.SayAsync("Cancelar turno"));
        Assert.Equal(BotTexts.ConfirmCancelTicket((await h.Queries.GetStatusAsync(ticket.Code))!), ask.Text);
        Assert.Equal([$"ticket:{ticket.Id}:cancel-yes", $"ticket:{ticket.Id}:keep"], Ids(ask));
        Assert.StartsWith(BotTexts.TicketKept, Single(await chat.SayAsync("no")).Text);
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(ticket.Code)).Status);

        // Someone else's number cannot cancel it.
        var stranger = new BotChat(h, "573109998877");
        Assert.Equal(BotTexts.TicketNotFound + " " + BotTexts.MenuHint, Single(await stranger.TapAsync($"ticket:{ticket.Id}:cancel-yes")).Text);

        // From "Estado de mi turno": its button, then yes.
        var status = Single(await chat.TapAsync("menu:ticket"));
        Assert.Equal([$"ticket:{ticket.Id}:cancel"], Ids(status));
        Assert.Equal("Cancelar A-001", ChatContent.Options(status)[0].Title);
        Assert.Equal(Ids(ask), Ids(Single(await chat.TapAsync($"ticket:{ticket.Id}:cancel"))));
        var done = Single(await chat.TapAsync($"ticket:{ticket.Id}:cancel-yes", BotTexts.YesCancelTicket)).Text;
        Assert.Equal(BotTexts.TicketCancelled((await h.Queries.GetStatusAsync(ticket.Code))!), done);

        Assert.Equal(TicketStatus.Cancelled, (await h.TicketAsync(ticket.Code)).Status);
        await using var db = h.Db();
        var cancelled = await db.JourneyEvents.SingleAsync(e => e.TicketId == ticket.Id && e.Kind == JourneyEventKind.TicketCancelled);
        Assert.Equal(Channel.WhatsApp, cancelled.Channel);
        Assert.Equal(BotTexts.NoRemoteTicketsToCancel, Single(await chat.SayAsync("cancelar turno")).Text);
    }
}
