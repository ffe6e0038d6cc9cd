using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

public class NotificationTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    const string Phone = "3001234567", WaId = "573001234567";
    BookingService Bookings => h.Services.GetRequiredService<BookingService>();
    WhatsAppOptions Options => h.Services.GetRequiredService<IOptionsMonitor<WhatsAppOptions>>().CurrentValue;

    static IntakeInput Person(string phone = Phone) => new(DocumentType.CC, "1020304050", "María Pérez", phone, "maria@example.co");

    /// <summary>Local Bogotá time (UTC−5) in November 2026, as UTC.</summary>
    static DateTime Local(int day, int hour, int minute = 0) => new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(5);

    async Task<AppointmentView> BookAsync(DateTime startUtc, bool consent = true, Channel channel = Channel.Web)
    {
        var s = await h.ServiceAsync("Asesoría de créditos");
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, channel, Person(), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: consent));
    }

    async Task<TicketStatusView> IssueWithPhoneAsync(string service = "Caja", string phone = Phone)
    {
        var s = await h.ServiceAsync(service);
        return await h.Queue.IssueAsync(new IssueTicketRequest(s.BranchId, s.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: phone, WhatsAppConsent: true));
    }

    async Task<List<OutboxMessage>> OutboxAsync(MessageKind? kind = null)
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => kind == null || m.Kind == kind).OrderBy(m => m.Id).ToListAsync();
    }

    static OutgoingContent Content(OutboxMessage m) => Outbox.Deserialize(m.Content);

    async Task<Ticket> CallAsync(string counter, string agent)
    {
        var c = await h.CounterAsync(counter);
        return (await h.Queue.CallNextAsync(c.Id, agent))!;
    }

    async Task<Ticket> ServeAsync(Ticket called, string agent)
    {
        var started = await h.Queue.StartAsync(called.Id, called.Version, agent);
        return await h.Queue.CompleteAsync(started.Id, started.Version, agent, null);
    }

    [Fact]
    public async Task A_booking_with_whatsapp_consent_queues_one_confirmation_in_branch_time()
    {
        var booked = await BookAsync(Local(26, 14, 30));

        var m = Assert.Single(await OutboxAsync());
        Assert.Equal((MessageKind.AppointmentConfirmation, WaId, $"appointment:{booked.Code}:confirmation"), (m.Kind, m.To, m.DedupeKey));
        await using var db = h.Db();
        var customer = await db.Customers.SingleAsync();
        Assert.Equal((booked.Id, customer.Id, booked.BranchId), (m.AppointmentId, m.CustomerId, m.BranchId));
        Assert.Equal(OutboxStatus.Pending, m.Status);
        Assert.Equal(Local(26, 14, 30), m.ExpiresAt);

        var content = Content(m);
        Assert.Contains($"Código: {booked.Code}", content.Text);
        Assert.Contains("Servicio: Asesoría de créditos", content.Text);
        Assert.Contains("Fecha: jueves 26 de noviembre, 2:30 p. m.", content.Text); // 19:30 UTC shown in Bogotá
        Assert.Contains("Sede: Sede Centro, Carrera 7 # 12-34, Bogotá", content.Text);
        Assert.Contains("documento de identidad", content.Text);
        Assert.Contains($"kiosco con su número de documento o con el código {booked.Code}", content.Text);
        Assert.Contains($"/cita/{booked.Code}", content.Text);
        Assert.DoesNotContain("{", content.Text);
        Assert.Equal([booked.Code, "Asesoría de créditos", "jueves 26 de noviembre", "2:30 p. m.", "Sede Centro", "Carrera 7 # 12-34, Bogotá",
            $"http://localhost:5050/cita/{booked.Code}"], content.TemplateParameters);
    }

    [Fact]
    public async Task No_consent_means_no_confirmation_unless_the_booking_was_made_on_whatsapp()
    {
        await BookAsync(Local(26, 9), consent: false);
        Assert.Empty(await OutboxAsync());

        var onWhatsApp = await BookAsync(Local(26, 11), consent: false, channel: Channel.WhatsApp);
        var m = Assert.Single(await OutboxAsync());
        Assert.Equal(onWhatsApp.Id, m.AppointmentId);
    }

    [Fact]
    public async Task A_booking_in_the_conversation_is_answered_even_after_an_old_opt_out_but_a_web_one_is_not()
    {
        await using (var db = h.Db())
        {
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = WaId, State = "", OptedOutAt = h.Clock.GetUtcNow().UtcDateTime.AddDays(-3) });
            await db.SaveChangesAsync();
        }
        await BookAsync(Local(26, 9));
        Assert.Empty(await OutboxAsync());
        var onWhatsApp = await BookAsync(Local(26, 11), channel: Channel.WhatsApp);
        Assert.Equal(onWhatsApp.Id, Assert.Single(await OutboxAsync()).AppointmentId);
    }

    [Fact]
    public async Task A_rescheduled_appointment_gets_a_new_confirmation_with_the_new_time()
    {
        var booked = await BookAsync(Local(26, 9));
        await Bookings.RescheduleAsync(booked.Code, Local(27, 15), Channel.Web);

        var messages = await OutboxAsync(MessageKind.AppointmentConfirmation);
        Assert.Equal(2, messages.Count);
        Assert.Equal($"appointment:{booked.Code}:confirmation:{Local(27, 15).Ticks}", messages[1].DedupeKey);
        Assert.Contains("viernes 27 de noviembre, 3:00 p. m.", Content(messages[1]).Text);
    }

    [Fact]
    public async Task A_kiosk_walk_in_who_left_a_number_gets_the_ticket_confirmation()
    {
        for (var i = 0; i < 4; i++) await h.IssueAsync("Caja");
        var mine = await IssueWithPhoneAsync();

        var m = Assert.Single(await OutboxAsync());
        Assert.Equal((MessageKind.TicketConfirmation, WaId, $"ticket:{mine.Code}:confirmation"), (m.Kind, m.To, m.DedupeKey));
        var ticket = await h.TicketAsync(mine.Code);
        Assert.Equal((ticket.Id, ticket.CustomerId), (m.TicketId, m.CustomerId));
        Assert.NotNull(m.CustomerId);
        // Caja's default 4 minutes × 4 people, one agent assumed.
        Assert.Equal($"Su turno es A-005 para Caja en Sede Centro.\nPersonas antes de usted: 4. Espera estimada: 16 min.\nEsté atento a la pantalla de turnos de la sede.\nSiga su turno aquí: http://localhost:5050/t/{mine.Code}",
            Content(m).Text);
        Assert.Equal(["A-005", "Caja", "Sede Centro", "4", "16", $"http://localhost:5050/t/{mine.Code}", ArrivalTexts.InLine], Content(m).TemplateParameters);

        await h.IssueAsync("Caja"); // no number, no message
        Assert.Single(await OutboxAsync());
    }

    [Fact]
    public async Task Turn_near_is_sent_once_when_a_call_crosses_the_threshold()
    {
        (Options.TurnNearPeopleAhead, Options.TurnNearMinutes) = (2, 5);
        for (var i = 0; i < 4; i++) await h.IssueAsync("Caja");
        var mine = await IssueWithPhoneAsync(); // 4 ahead, 16 min: not near

        await CallAsync("Ventanilla 1", "agent-1"); // 3 ahead, 12 min
        Assert.Empty(await OutboxAsync(MessageKind.TurnNear));

        var second = await CallAsync("Ventanilla 2", "agent-2"); // 2 ahead: near
        var near = Assert.Single(await OutboxAsync(MessageKind.TurnNear));
        Assert.Equal(($"ticket:{mine.Code}:near", OutboxStatus.Pending, WaId), (near.DedupeKey, near.Status, near.To));
        Assert.Contains("Su turno A-005 (Caja) está cerca. Personas antes de usted: 2", Content(near).Text);
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddMinutes(20), near.ExpiresAt);

        await ServeAsync(second, "agent-2");
        await CallAsync("Ventanilla 2", "agent-2"); // 1 ahead: still near, not again
        Assert.Single(await OutboxAsync(MessageKind.TurnNear));
    }

    [Fact]
    public async Task Someone_who_arrives_already_near_gets_only_the_confirmation()
    {
        (Options.TurnNearPeopleAhead, Options.TurnNearMinutes) = (2, 5);
        await h.IssueAsync("Caja");
        var mine = await IssueWithPhoneAsync(); // 1 ahead: near from the start

        await CallAsync("Ventanilla 1", "agent-1");

        var messages = await OutboxAsync();
        Assert.Equal([MessageKind.TicketConfirmation, MessageKind.TurnNear], messages.Select(m => m.Kind));
        var suppressed = messages[1];
        Assert.Equal(($"ticket:{mine.Code}:near", OutboxStatus.Expired), (suppressed.DedupeKey, suppressed.Status));
        Assert.Equal(Notifications.SuppressedNear, suppressed.Error);
        Assert.DoesNotContain(messages, m => m.Kind == MessageKind.TurnNear && m.Status == OutboxStatus.Pending);
    }

    [Fact]
    public async Task Being_called_and_recalled_names_the_counter_and_the_visit_ends_with_a_rating_request()
    {
        var mine = await IssueWithPhoneAsync();
        var called = await CallAsync("Ventanilla 2", "agent-2");
        Assert.Equal(mine.Code, called.Code);
        called = await h.Queue.RecallAsync(called.Id, called.Version, "agent-2");

        var calls = await OutboxAsync(MessageKind.TicketCalled);
        Assert.Equal([$"ticket:{mine.Code}:called:1", $"ticket:{mine.Code}:called:2"], calls.Select(m => m.DedupeKey));
        Assert.All(calls, m => Assert.Equal("Es su turno: A-001, diríjase a Ventanilla 2.", Content(m).Text));
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddMinutes(10), calls[0].ExpiresAt);
        Assert.Equal(["A-001", "Ventanilla 2"], Content(calls[0]).TemplateParameters);

        await ServeAsync(called, "agent-2");
        var rating = Assert.Single(await OutboxAsync(MessageKind.RatingRequest));
        var content = Content(rating);
        Assert.Equal(called.Id, rating.TicketId);
        Assert.Equal($"ticket:{mine.Code}:rating", rating.DedupeKey);
        Assert.Contains("Gracias por su visita a Sede Centro", content.Text);
        Assert.Equal([$"rate:{called.Id}:5", $"rate:{called.Id}:4", $"rate:{called.Id}:3", $"rate:{called.Id}:2", $"rate:{called.Id}:1"],
            content.Rows!.Select(r => r.Id));
        Assert.Equal("5 - Excelente", content.Rows![0].Title);
        Assert.Equal("1 - Muy malo", content.Rows![4].Title);
        Assert.All(content.Rows!, r => Assert.True(r.Title.Length <= OutgoingContent.RowTitleMax));
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddHours(24), rating.ExpiresAt);
    }

    [Fact]
    public async Task An_opted_out_number_or_a_withdrawn_consent_gets_nothing()
    {
        (Options.TurnNearPeopleAhead, Options.TurnNearMinutes) = (2, 5);
        await using (var db = h.Db())
        {
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = WaId, State = "", OptedOutAt = h.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }
        for (var i = 0; i < 3; i++) await h.IssueAsync("Caja");
        var optedOut = await IssueWithPhoneAsync();
        var withdrawn = await IssueWithPhoneAsync(phone: "3109876543");
        await using (var db = h.Db())
        {
            var consent = await db.ConsentRecords.SingleAsync(c => db.Customers.Any(x => x.Id == c.CustomerId && x.Phone == PhoneNumber.Parse("+573109876543")));
            consent.WithdrawnAt = h.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
        }
        Assert.Single(await OutboxAsync()); // only the withdrawn one's confirmation, written while consent was active

        for (var i = 0; i < 5; i++)
        {
            var t = await CallAsync("Ventanilla 1", "agent-1");
            await ServeAsync(t, "agent-1");
        }
        Assert.Equal([optedOut.Code, withdrawn.Code], (await CalledCodesAsync()).TakeLast(2));
        Assert.Single(await OutboxAsync());
    }

    async Task<List<string>> CalledCodesAsync()
    {
        await using var db = h.Db();
        return await db.Tickets.Where(t => t.FirstCalledAt != null).OrderBy(t => t.FirstCalledAt).ThenBy(t => t.Sequence).Select(t => t.Code).ToListAsync();
    }

    [Fact]
    public async Task An_appointment_check_in_gets_one_ticket_confirmation_under_the_appointment_consent()
    {
        var booked = await BookAsync(Local(25, 10, 30));
        var checkIn = await h.Services.GetRequiredService<CheckInService>().CheckInAsync(booked.Id, Channel.Kiosk);
        Assert.Equal(CheckInOutcome.CheckedIn, checkIn.Outcome);

        var m = Assert.Single(await OutboxAsync(MessageKind.TicketConfirmation));
        var ticket = await h.TicketAsync(checkIn.Ticket!.Code);
        Assert.Equal((ticket.Id, $"ticket:{ticket.Code}:confirmation", WaId), (m.TicketId, m.DedupeKey, m.To));
        Assert.Contains($"Su turno es {ticket.Number} para Asesoría de créditos", Content(m).Text);
    }

    [Fact]
    public async Task The_message_and_its_cause_are_saved_together_or_not_at_all()
    {
        var mine = await IssueWithPhoneAsync();
        var counter = await h.CounterAsync("Ventanilla 1");

        await using (var db = h.Db())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Code == mine.Code);
            ticket.Call(counter.Id, "agent-1", h.Clock.GetUtcNow().UtcDateTime);
            // Something else in the same save breaks a unique index: the whole save fails.
            var existing = await db.TicketNumberCounters.AsNoTracking().FirstAsync();
            db.TicketNumberCounters.Add(new TicketNumberCounter { BranchId = existing.BranchId, ServiceId = existing.ServiceId, Day = existing.Day, LastSequence = 99 });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        Assert.Empty(await OutboxAsync(MessageKind.TicketCalled));
        Assert.Equal(TicketStatus.Waiting, (await h.TicketAsync(mine.Code)).Status);
        await using (var db = h.Db())
            Assert.False(await db.JourneyEvents.AnyAsync(e => e.Kind == JourneyEventKind.TicketCalled));

        // The same change without the broken row commits both.
        await using (var db = h.Db())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Code == mine.Code);
            ticket.Call(counter.Id, "agent-1", h.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
        Assert.Single(await OutboxAsync(MessageKind.TicketCalled));
    }
}
