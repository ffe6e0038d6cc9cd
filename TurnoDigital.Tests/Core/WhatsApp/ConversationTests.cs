using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Conversation;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>The bot driven message by message on a real database with the demo data; the clock starts Wed 25 Nov 2026, 10:00 Bogotá.</summary>
public class ConversationTests : IAsyncLifetime
{
    const string Tramites = "Trámites y certificados", Asesoria = "Asesoría de créditos";
    CoreHarness h = default!;
    BotChat chat = default!;

    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        chat = new BotChat(h);
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    BookingService Bookings => h.Services.GetRequiredService<BookingService>();

    static OutgoingContent Single(List<OutgoingContent> replies) => Assert.Single(replies);
    static string[] Ids(OutgoingContent c) => ChatContent.Options(c).Select(o => o.Id).ToArray();

    /// <summary>Books directly (as the web would) for the chat's number.</summary>
    async Task<AppointmentView> BookForChatAsync(DateTime startUtc, string doc = "1020304050", string service = Asesoria, bool whatsAppConsent = true)
    {
        var s = await h.ServiceAsync(service);
        var intake = new IntakeInput(DocumentType.CC, doc, "María Pérez", "3001112233", "maria@example.co",
            new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, Channel.Web, intake, Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: whatsAppConsent));
    }

    /// <summary>Tomorrow 9:00 Bogotá.</summary>
    static readonly DateTime Tomorrow9 = new(2026, 11, 26, 14, 0, 0, DateTimeKind.Utc);

    /// <summary>From the menu to the intake questions of a service, tomorrow at 9:00.</summary>
    async Task<List<OutgoingContent>> ToIntakeAsync(string service)
    {
        await chat.SayAsync("Hola");
        var services = Single(await chat.TapAsync("menu:book", "Agendar cita"));
        var id = ChatContent.Options(services).Single(o => o.Title == service).Id;
        var days = Single(await chat.TapAsync(id, service));
        Assert.Contains("day:2026-11-26", Ids(days));
        var slots = Single(await chat.TapAsync("day:2026-11-26"));
        Assert.Contains("slot:2026-11-26T14:00Z", Ids(slots));
        Assert.Contains(ChatContent.Options(slots), o => o.Title == "9:00 a. m.");
        return await chat.TapAsync("slot:2026-11-26T14:00Z", "9:00 a. m.");
    }

    [Fact]
    public async Task A_greeting_opens_the_menu_list_and_remembers_the_contact()
    {
        var menu = Single(await chat.SayAsync("¡Hola!"));
        Assert.Equal(["menu:book", "menu:ticket-take", "menu:mine", "menu:change", "menu:ticket", "menu:help"], Ids(menu));
        Assert.Equal(BotTexts.ListButton, menu.ListButton);
        Assert.StartsWith("¡Hola!", menu.Text);
        var contact = await chat.ContactAsync();
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime, contact.LastInboundAt);
        Assert.Equal("menu", contact.State);
        await using var db = h.Db();
        Assert.All(await db.Outbox.ToListAsync(), o => Assert.Equal((MessageKind.Reply, BotChat.Number), (o.Kind, o.To)));
    }

    [Fact]
    public async Task A_whole_booking_conversation_creates_a_WhatsApp_appointment_with_the_intake()
    {
        var docType = Single(await ToIntakeAsync(Tramites));
        Assert.Contains("doc:CC", Ids(docType));
        Assert.Contains("número de documento", Single(await chat.TapAsync("doc:CC", "Cédula de ciudadanía")).Text);
        Assert.Contains("nombre completo", Single(await chat.SayAsync("1.020.304.050")).Text);
        // The phone is this chat's number: never asked. Email is optional in Trámites.
        var email = Single(await chat.SayAsync("María Pérez"));
        Assert.Contains("correo electrónico", email.Text);
        Assert.Contains("OMITIR", email.Text);
        var tramite = Single(await chat.SayAsync("omitir"));
        Assert.Equal(["Certificado laboral", "Paz y salvo", "Actualización de datos"], ChatContent.Options(tramite).Select(o => o.Title));
        var consent = Single(await chat.TapAsync("opt:1", "Paz y salvo"));
        Assert.Contains("Ley 1581", consent.Text);
        Assert.Equal(["consent:yes", "consent:no"], Ids(consent));
        var summary = Single(await chat.TapAsync("consent:yes", "Acepto"));
        Assert.Equal(["confirm", "abort"], Ids(summary));
        Assert.Contains("Jueves 26 de noviembre de 2026", summary.Text);
        Assert.Contains("9:00 a. m.", summary.Text);
        Assert.Contains("Trámite: Paz y salvo", summary.Text);
        Assert.Contains("CC 1.020.304.050", summary.Text);
        var done = Single(await chat.TapAsync("confirm", "Confirmar"));

        await using var db = h.Db();
        var appointment = await db.Appointments.Include(a => a.Customer).ThenInclude(c => c!.Consents).SingleAsync();
        Assert.Equal((Channel.WhatsApp, AppointmentStatus.Booked, Tomorrow9), (appointment.Channel, appointment.Status, appointment.Start));
        Assert.Equal("Paz y salvo", JsonSerializer.Deserialize<Dictionary<string, string>>(appointment.IntakeData!)!["tramite"]);
        Assert.Equal((BotChat.Phone, "1020304050", "María Pérez", (string?)null),
            (appointment.Customer!.Phone?.Value, appointment.Customer.Document?.Number, appointment.Customer.FullName, appointment.Customer.Email?.Value));
        Assert.Equal([ConsentRecord.DataProcessing, ConsentRecord.WhatsAppAppointmentUpdates],
            appointment.Customer.Consents.Select(c => c.Purpose).Order().ToArray());
        Assert.Contains(appointment.Code, done.Text);
        Assert.Contains("Jueves 26 de noviembre", done.Text);
        // The confirmation with all the details is the notifications component's job: written by the booking's own save.
        var notification = Assert.Single(await db.Outbox.Where(o => o.Kind != MessageKind.Reply).ToListAsync());
        Assert.Equal((MessageKind.AppointmentConfirmation, appointment.Id), (notification.Kind, notification.AppointmentId));
        var contact = await chat.ContactAsync();
        Assert.Equal(("menu", appointment.CustomerId), (contact.State, contact.CustomerId));
    }

    [Fact]
    public async Task An_invalid_answer_is_asked_again_with_the_web_forms_message()
    {
        await ToIntakeAsync(Asesoria);
        await chat.TapAsync("doc:CC");
        var again = Single(await chat.SayAsync("ABC-12"));
        Assert.Contains("solo números", again.Text);
        Assert.Contains("número de documento", again.Text);
        await chat.SayAsync("1020304050");
        var name = Single(await chat.SayAsync("R2D2"));
        Assert.Contains("El nombre solo puede tener letras", name.Text);
        Assert.Equal("book:field", (await chat.ContactAsync()).State);
        Assert.Contains("correo electrónico", Single(await chat.SayAsync("Ana Ríos")).Text);
        Assert.Contains("El correo electrónico no es válido", Single(await chat.SayAsync("ana@")).Text);
        // Email is required for Asesoría: "omitir" is an answer like any other, and not a valid one.
        Assert.Contains("El correo electrónico no es válido", Single(await chat.SayAsync("omitir")).Text);
        Assert.Contains("Ley 1581", Single(await chat.SayAsync("ana@example.co")).Text);
    }

    [Fact]
    public async Task Numbers_titles_and_keywords_work_instead_of_taps()
    {
        await chat.SayAsync("hola");
        var services = Single(await chat.SayAsync("1"));                 // Agendar cita
        Assert.Equal(BotTexts.AskService, services.Text);
        var days = Single(await chat.SayAsync("2"));                     // Trámites y certificados
        Assert.Equal("day:2026-11-25", Ids(days)[0]);
        Assert.Equal("Hoy", ChatContent.Options(days)[0].Description);
        var slots = Single(await chat.SayAsync("2"));                    // tomorrow
        Assert.Contains("jueves 26 de noviembre", slots.Text);
        Assert.Equal(["7:00 a. m.", "7:20 a. m."], ChatContent.Options(slots).Take(2).Select(o => o.Title));
        Assert.Equal("slots:more", Ids(slots)[^2]);
        Assert.Equal(10, ChatContent.Options(slots).Count);
        var more = Single(await chat.SayAsync("Ver más horas"));         // a title typed
        Assert.Equal("9:40 a. m.", ChatContent.Options(more)[0].Title);
        Assert.Contains(BotTexts.PickFromList, Single(await chat.SayAsync("mañana temprano")).Text);
        Assert.Equal("menu:book", Ids(Single(await chat.SayAsync("MENÚ")))[0]);
        Assert.Equal(BotTexts.Help, Single(await chat.SayAsync("Ayuda")).Text);
        Assert.Equal(BotTexts.NoAppointmentsToChange, Single(await chat.SayAsync("cancelar")).Text);
        Assert.Contains(BotTexts.NotUnderstood, Single(await chat.SayAsync("qué tal el clima")).Text);
    }

    [Fact]
    public async Task A_typed_date_picks_the_day()
    {
        await chat.SayAsync("hola");
        await chat.SayAsync("1");
        await chat.SayAsync("1");                                        // Asesoría
        var slots = Single(await chat.SayAsync("15/12"));
        Assert.Contains("martes 15 de diciembre de 2026", slots.Text);
    }

    [Fact]
    public async Task After_30_idle_minutes_the_conversation_starts_again_from_the_menu()
    {
        await chat.SayAsync("hola");
        await chat.TapAsync("menu:book");
        h.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("day:2026-11-25", Ids(Single(await chat.SayAsync("1")))[0]);   // still in the conversation
        Assert.Equal("book:day", (await chat.ContactAsync()).State);
        h.Clock.Advance(TimeSpan.FromMinutes(31));
        var reply = Single(await chat.SayAsync("1"));
        Assert.StartsWith(BotTexts.IdleReset, reply.Text);
        Assert.Equal("menu:book", Ids(reply)[0]);
        var contact = await chat.ContactAsync();
        Assert.Equal("menu", contact.State);
        Assert.Equal(JsonValueKind.Null, JsonSerializer.Deserialize<JsonElement>(contact.Data!).GetProperty("serviceId").ValueKind);
    }

    [Fact]
    public async Task The_same_message_handed_again_after_a_crash_replies_once_and_books_once()
    {
        await ToIntakeAsync(Asesoria);
        await chat.TapAsync("doc:CC");
        await chat.SayAsync("1020304050");
        await chat.SayAsync("Ana Ríos");
        await chat.SayAsync("ana@example.co");
        await chat.TapAsync("consent:yes");
        var before = await chat.ContactAsync();
        var first = Single(await chat.TapAsync("confirm"));
        var confirm = chat.Last!;

        // Handed twice in a row: nothing new.
        await chat.Bot.HandleAsync(confirm);
        Assert.Single(await chat.RepliesAsync(confirm));

        // A crash after the booking but before the conversation was saved: state and reply are gone, the appointment is not.
        await using (var db = h.Db())
        {
            await db.Outbox.Where(o => o.DedupeKey.StartsWith($"reply:{confirm.WaMessageId}:")).ExecuteDeleteAsync();
            await db.WhatsAppContacts.Where(c => c.WaId == BotChat.Number)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.State, before.State).SetProperty(c => c.Data, before.Data));
        }
        await chat.Bot.HandleAsync(confirm);
        var again = Single(await chat.RepliesAsync(confirm));
        Assert.Equal(first.Text, again.Text);
        await using var check = h.Db();
        Assert.Equal(1, await check.Appointments.CountAsync());
    }

    [Fact]
    public async Task A_slot_taken_meanwhile_is_said_and_the_times_are_shown_again()
    {
        await ToIntakeAsync(Asesoria);
        await chat.TapAsync("doc:CC");
        await chat.SayAsync("1020304050");
        await chat.SayAsync("Ana Ríos");
        await chat.SayAsync("ana@example.co");
        await chat.TapAsync("consent:yes");
        await BookForChatAsync(Tomorrow9, doc: "999888777");             // someone else, on the web
        var reply = Single(await chat.TapAsync("confirm"));
        Assert.StartsWith("Ese horario se acaba de ocupar", reply.Text);
        Assert.DoesNotContain("slot:2026-11-26T14:00Z", Ids(reply));
        Assert.Equal("book:slot", (await chat.ContactAsync()).State);
    }

    [Fact]
    public async Task Consent_on_record_is_not_asked_twice()
    {
        await BookForChatAsync(Tomorrow9.AddDays(1));
        await ToIntakeAsync(Asesoria);
        await chat.TapAsync("doc:CC");
        await chat.SayAsync("1020304050");
        await chat.SayAsync("María Pérez");
        var summary = Single(await chat.SayAsync("maria@example.co"));
        Assert.Equal(["confirm", "abort"], Ids(summary));
    }

    [Fact]
    public async Task My_appointments_lists_the_future_active_ones_of_this_number()
    {
        var mine = await BookForChatAsync(Tomorrow9);
        var cancelled = await BookForChatAsync(Tomorrow9.AddHours(1));
        await Bookings.CancelAsync(cancelled.Code, Channel.Web);
        var s = await h.ServiceAsync(Asesoria);
        var other = await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, Tomorrow9.AddHours(2), Channel.Web,
            new IntakeInput(DocumentType.CC, "555666777", "Otra Persona", "3109998877", "otra@example.co"), Guid.NewGuid(), DataPolicyAccepted: true));

        var text = Single(await chat.TapAsync("menu:mine")).Text;
        Assert.Contains($"{mine.Code} · Asesoría de créditos · Jueves 26 de noviembre de 2026, 9:00 a. m. · Sede Centro", text);
        Assert.DoesNotContain(cancelled.Code, text);
        Assert.DoesNotContain(other.Code, text);
    }

    [Fact]
    public async Task Cancel_from_the_menu_asks_first_then_cancels_on_WhatsApp()
    {
        var a = await BookForChatAsync(Tomorrow9);
        var list = Single(await chat.TapAsync("menu:change"));
        Assert.Equal([$"appt:{a.Id}:pick"], Ids(list));
        Assert.Equal("Jueves 26 nov 9:00 a. m.", ChatContent.Options(list)[0].Title);
        var actions = Single(await chat.SayAsync("1"));
        Assert.Equal([$"appt:{a.Id}:cancel", $"appt:{a.Id}:reschedule", "menu"], Ids(actions));
        var sure = Single(await chat.TapAsync($"appt:{a.Id}:cancel"));
        Assert.Contains("¿Seguro", sure.Text);
        await using (var db = h.Db()) Assert.Equal(AppointmentStatus.Booked, (await db.Appointments.SingleAsync()).Status);
        Assert.Contains("quedó cancelada", Single(await chat.SayAsync("Sí, cancelar")).Text);

        await using var check = h.Db();
        Assert.Equal(AppointmentStatus.Cancelled, (await check.Appointments.SingleAsync()).Status);
        var e = await check.JourneyEvents.SingleAsync(x => x.Kind == JourneyEventKind.AppointmentCancelled);
        Assert.Equal(Channel.WhatsApp, e.Channel);
        // Tapping the old button again just says it is done.
        Assert.Contains("quedó cancelada", Single(await chat.TapAsync($"appt:{a.Id}:cancel-yes")).Text);
    }

    [Fact]
    public async Task Reschedule_picks_a_new_day_and_time()
    {
        var a = await BookForChatAsync(Tomorrow9);
        await chat.TapAsync("menu:change");
        await chat.TapAsync($"appt:{a.Id}:pick");
        var days = Single(await chat.TapAsync($"appt:{a.Id}:reschedule"));
        Assert.Contains(a.Code, days.Text);
        await chat.TapAsync("day:2026-11-27");
        var done = Single(await chat.TapAsync("slot:2026-11-27T15:30Z"));
        Assert.Contains("viernes 27 de noviembre de 2026 a las 10:30 a. m.", done.Text);
        await using var db = h.Db();
        Assert.Equal(new DateTime(2026, 11, 27, 15, 30, 0), (await db.Appointments.SingleAsync()).Start);
        Assert.Equal(Channel.WhatsApp, (await db.JourneyEvents.SingleAsync(x => x.Kind == JourneyEventKind.AppointmentRescheduled)).Channel);
    }

    [Fact]
    public async Task Someone_elses_appointment_cannot_be_touched()
    {
        var a = await BookForChatAsync(Tomorrow9);
        var stranger = new BotChat(h, "573109998877");
        Assert.Equal(BotTexts.AppointmentNotFound, Single(await stranger.TapAsync($"appt:{a.Id}:cancel-yes")).Text);
        await using var db = h.Db();
        Assert.Equal(AppointmentStatus.Booked, (await db.Appointments.SingleAsync()).Status);
    }

    [Fact]
    public async Task Ticket_status_shows_people_ahead_the_estimate_and_the_live_link()
    {
        var caja = await h.ServiceAsync("Caja");
        await h.IssueAsync("Caja");
        var mine = await h.Queue.IssueAsync(new TurnoDigital.Core.Queueing.IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), null, "3001112233", true));
        var text = Single(await chat.TapAsync("menu:ticket")).Text;
        Assert.Contains($"Turno {mine.Number} (Caja, Sede Centro): en espera. Personas antes de usted: 1. Espera estimada: unos 4 minutos.", text);
        Assert.Contains($"http://localhost:5050/t/{mine.Code}", text);
        Assert.Equal(BotTexts.NoTickets + " " + BotTexts.MenuHint, Single(await new BotChat(h, "573109998877").TapAsync("menu:ticket")).Text);
    }

    async Task<TurnoDigital.Core.Queueing.Ticket> RateableTicketAsync(string phone = "3001112233")
    {
        var caja = await h.ServiceAsync("Caja");
        var view = await h.Queue.IssueAsync(new TurnoDigital.Core.Queueing.IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), null, phone, true));
        // Only a finished service is rated: serve the line up to this ticket.
        var counter = await h.CounterAsync("Ventanilla 1");
        while (await h.Queue.CallNextAsync(counter.Id, "agent-r") is { } called)
        {
            var started = await h.Queue.StartAsync(called.Id, called.Version, "agent-r");
            await h.Queue.CompleteAsync(started.Id, started.Version, "agent-r", null);
            if (called.Code == view.Code) break;
        }
        return await h.TicketAsync(view.Code);
    }

    [Fact]
    public async Task A_rating_button_rates_once_with_a_WhatsApp_journey_event()
    {
        var ticket = await RateableTicketAsync();
        Assert.Equal(BotTexts.RatingThanks, Single(await chat.TapAsync($"rate:{ticket.Id}:4", "4")).Text);
        Assert.Equal(BotTexts.AlreadyRated, Single(await chat.TapAsync($"rate:{ticket.Id}:1", "1")).Text);

        await using var db = h.Db();
        var rated = await db.Tickets.SingleAsync(t => t.Id == ticket.Id);
        Assert.Equal((4, h.Clock.GetUtcNow().UtcDateTime), (rated.Rating, rated.RatedAt));
        var e = await db.JourneyEvents.SingleAsync(x => x.Kind == JourneyEventKind.ServiceRated);
        Assert.Equal((Channel.WhatsApp, ticket.Id, """{"score":4}"""), (e.Channel, e.TicketId!.Value, e.Data));
    }

    [Fact]
    public async Task A_digit_typed_after_a_rating_request_is_the_score_but_only_the_ticket_holder_rates()
    {
        var ticket = await RateableTicketAsync();
        await chat.NotifyAsync(MessageKind.RatingRequest, new OutgoingContent("¿Cómo lo atendimos? Responda de 1 a 5."), ticketId: ticket.Id);
        Assert.Equal(BotTexts.RatingThanks, Single(await chat.SayAsync("5")).Text);
        await using (var db = h.Db()) Assert.Equal(5, (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).Rating);

        var others = await RateableTicketAsync("3109998877");
        Assert.StartsWith(BotTexts.TicketNotFound, Single(await chat.TapAsync($"rate:{others.Id}:5")).Text);
        await using var check = h.Db();
        Assert.Null((await check.Tickets.SingleAsync(t => t.Id == others.Id)).Rating);
    }

    [Fact]
    public async Task Reminder_buttons_confirm_once_and_cancel_after_asking()
    {
        var a = await BookForChatAsync(Tomorrow9);
        await chat.NotifyAsync(MessageKind.ReminderDayBefore, new OutgoingContent("Recordatorio", Buttons:
            [new Choice($"appt:{a.Id}:confirm", "Confirmar"), new Choice($"appt:{a.Id}:cancel", "Cancelar")]), appointmentId: a.Id);
        Assert.StartsWith("¡Gracias por confirmar!", Single(await chat.SayAsync("1")).Text);
        await chat.TapAsync($"appt:{a.Id}:confirm", "Confirmar");
        await using (var db = h.Db())
            Assert.Equal(Channel.WhatsApp, (await db.JourneyEvents.SingleAsync(x => x.Kind == JourneyEventKind.AppointmentConfirmed)).Channel);

        var sure = Single(await chat.TapAsync($"appt:{a.Id}:cancel", "Cancelar"));
        Assert.Equal([$"appt:{a.Id}:cancel-yes", $"appt:{a.Id}:keep"], Ids(sure));
        Assert.Equal(BotTexts.Kept, Single(await chat.SayAsync("2")).Text);
        await chat.TapAsync($"appt:{a.Id}:cancel");
        await chat.TapAsync($"appt:{a.Id}:cancel-yes");
        await using var check = h.Db();
        Assert.Equal(AppointmentStatus.Cancelled, (await check.Appointments.SingleAsync()).Status);
    }

    [Theory]
    [InlineData(" BAJA ")]
    [InlineData("stop")]
    public async Task Baja_or_stop_opts_out_at_once_and_withdraws_WhatsApp_consents(string word)
    {
        await BookForChatAsync(Tomorrow9);
        await RateableTicketAsync();                                      // a walk-in consent for ticket updates too
        var reply = await chat.SayAsync(word);
        Assert.Equal(BotTexts.OptedOut, Single(reply).Text);

        await using var db = h.Db();
        Assert.Equal(MessageKind.OptOutConfirmation, (await db.Outbox.OrderByDescending(o => o.Id).FirstAsync()).Kind);
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime, (await chat.ContactAsync()).OptedOutAt);
        var consents = await db.Set<ConsentRecord>().ToListAsync();
        Assert.All(consents.Where(c => c.Purpose != ConsentRecord.DataProcessing), c => Assert.NotNull(c.WithdrawnAt));
        Assert.Equal(2, consents.Count(c => c.WithdrawnAt != null));
        Assert.Null(consents.Single(c => c.Purpose == ConsentRecord.DataProcessing).WithdrawnAt);
        var e = await db.JourneyEvents.SingleAsync(x => x.Kind == JourneyEventKind.OptedOut);
        Assert.Equal(Channel.WhatsApp, e.Channel);

        // ALTA is a new express consent for what was withdrawn.
        Assert.Equal(BotTexts.OptedIn, Single(await chat.SayAsync("Alta")).Text);
        Assert.Null((await chat.ContactAsync()).OptedOutAt);
        await using var check = h.Db();
        Assert.Equal(2, await check.Set<ConsentRecord>().CountAsync(c => c.WithdrawnAt == null && c.TextVersion == ConversationBot.OptInTextVersion));
    }

    [Fact]
    public async Task Two_messages_of_a_new_number_handled_at_the_same_time_both_get_answers()
    {
        var first = new InboundMessage { WaMessageId = "wamid.race.1", From = BotChat.Number, Type = "text", Text = "hola" };
        var second = new InboundMessage { WaMessageId = "wamid.race.2", From = BotChat.Number, Type = "text", Text = "ayuda" };
        await Task.WhenAll(Task.Run(() => chat.Bot.HandleAsync(first)), Task.Run(() => chat.Bot.HandleAsync(second)));
        Assert.Single(await chat.RepliesAsync(first));
        Assert.Single(await chat.RepliesAsync(second));
        Assert.Equal(2, (await chat.ContactAsync()).Version);
    }

    [Fact]
    public async Task A_reminder_arriving_mid_question_does_not_steal_a_typed_number()
    {
        var a = await BookForChatAsync(Tomorrow9.AddDays(1), doc: "111222333");
        await ToIntakeAsync(Asesoria);
        await chat.TapAsync("doc:CC");
        await chat.NotifyAsync(MessageKind.ReminderDayBefore, new OutgoingContent("Recordatorio", Buttons:
            [new Choice($"appt:{a.Id}:confirm", "Confirmar"), new Choice($"appt:{a.Id}:cancel", "Cancelar")]), appointmentId: a.Id);
        var reply = Single(await chat.SayAsync("1"));
        Assert.Contains("solo números (3 a 15 dígitos)", reply.Text);  // read as a (too short) document number, not as "Confirmar"
        await using var db = h.Db();
        Assert.False(await db.JourneyEvents.AnyAsync(x => x.Kind == JourneyEventKind.AppointmentConfirmed));
    }

    [Fact]
    public async Task Media_gets_a_polite_text_and_reactions_are_ignored()
    {
        await chat.SayAsync("hola");
        await chat.TapAsync("menu:book");
        var reply = Single(await chat.SendAsync("image", null, null));
        Assert.Equal(BotTexts.Unsupported, reply.Text);
        Assert.Equal("book:service", (await chat.ContactAsync()).State);   // the conversation goes on where it was
        Assert.Empty(await chat.SendAsync("reaction", "👍", null));
        Assert.Equal(BotTexts.Unsupported, Single(await chat.SendAsync("location", null, null)).Text);
    }
}
