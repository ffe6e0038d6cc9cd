using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Conversation;
using TurnoDigital.Tests.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.Customers;

/// <summary>
/// A phone proves possession of that number only; a document proves nothing. Each appointment and ticket keeps the contact
/// given for it, the bot acts only on records whose contact phone is the sender's, and caps per phone and document hold.
/// The clock starts Wed 25 Nov 2026, 10:00 Bogotá.
/// </summary>
public class ContactOwnershipTests : IAsyncLifetime
{
    const string Asesoria = "Asesoría de créditos", Tramites = "Trámites y certificados", VictimDoc = "52999888";
    const string VictimPhone = "3109990000", StrangerPhone = "3001112233"; // the stranger is BotChat's default number
    /// <summary>Tomorrow 9:00 Bogotá.</summary>
    static readonly DateTime Tomorrow9 = new(2026, 11, 26, 14, 0, 0, DateTimeKind.Utc);
    CoreHarness h = default!;
    BotChat stranger = default!;

    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync(configure: s => s.Configure<ContactLimits>(o => (o.ActiveAppointments, o.RemoteTicketsPerDay, o.ConfirmationsPerHour) = (3, 2, 2)));
        stranger = new BotChat(h);
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    BookingService Bookings => h.Services.GetRequiredService<BookingService>();

    async Task<AppointmentView> BookAsync(DateTime startUtc, string doc, string name, string phone, string service = Asesoria, bool whatsApp = true,
        string email = "persona@example.co", Channel channel = Channel.Web)
    {
        var s = await h.ServiceAsync(service);
        var intake = new IntakeInput(DocumentType.CC, doc, name, phone, email, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });
        return await Bookings.BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, channel, intake, Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: whatsApp));
    }

    Task<AppointmentView> VictimBooksAsync(DateTime? at = null) => BookAsync(at ?? Tomorrow9, VictimDoc, "Ana Víctima", VictimPhone, email: "ana@example.co");
    Task<AppointmentView> StrangerBooksAsync(DateTime? at = null) => BookAsync(at ?? Tomorrow9.AddHours(1), VictimDoc, "Otro Nombre", StrangerPhone, Tramites, email: "otro@example.co");

    static string Text(List<OutgoingContent> replies) => Assert.Single(replies).Text;

    [Fact]
    public async Task A_later_booking_with_the_same_document_keeps_the_earlier_appointment_phone_and_the_customer_record()
    {
        var victim = await VictimBooksAsync();
        var other = await StrangerBooksAsync();

        await using var db = h.Db();
        var customer = await db.Customers.SingleAsync();
        Assert.Equal(("Ana Víctima", "+573109990000", "ana@example.co"), (customer.FullName, customer.Phone?.Value, customer.Email?.Value));
        var first = await db.Appointments.SingleAsync(a => a.Id == victim.Id);
        var second = await db.Appointments.SingleAsync(a => a.Id == other.Id);
        Assert.Equal(("+573109990000", "Ana Víctima", true), (first.ContactPhone?.Value, first.ContactName, first.WhatsAppOptIn));
        Assert.Equal(("+573001112233", "Otro Nombre", "otro@example.co"), (second.ContactPhone?.Value, second.ContactName, second.ContactEmail?.Value));
        Assert.Equal(customer.Id, second.CustomerId);
        // Each confirmation went to the phone given with its own booking.
        var confirmations = await db.Outbox.Where(m => m.Kind == MessageKind.AppointmentConfirmation).ToListAsync();
        Assert.Equal("573109990000", confirmations.Single(m => m.AppointmentId == victim.Id).To);
        Assert.Equal("573001112233", confirmations.Single(m => m.AppointmentId == other.Id).To);
    }

    [Fact]
    public async Task The_desk_sees_the_contact_given_for_the_visit_when_it_differs_from_the_record()
    {
        await VictimBooksAsync();
        var other = await StrangerBooksAsync(Tomorrow9.AddHours(-23).AddMinutes(40)); // today 10:40
        h.Clock.Advance(TimeSpan.FromMinutes(30)); // within its check-in window
        var checkIn = await h.Services.GetRequiredService<CheckInService>().CheckInAsync(other.Id, Channel.Kiosk);
        Assert.Equal(CheckInOutcome.CheckedIn, checkIn.Outcome);
        await using var db = h.Db();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal("+573001112233", ticket.ContactPhone?.Value); // the check-in's ticket carries its appointment's contact
        var visitor = await h.Services.GetRequiredService<VisitorQueries>().GetForTicketAsync(ticket.Id);
        Assert.Equal(("Ana Víctima", "+573109990000"), (visitor!.FullName, visitor.Phone));
        Assert.Equal(new VisitContact("Otro Nombre", "+573001112233", "otro@example.co"), visitor.VisitContact);
    }

    [Fact]
    public async Task The_bot_lists_and_changes_only_appointments_whose_contact_phone_is_the_sender()
    {
        var victim = await VictimBooksAsync();
        var own = await StrangerBooksAsync();

        var mine = Text(await stranger.TapAsync("menu:mine"));
        Assert.Contains(own.Code, mine);
        Assert.DoesNotContain(victim.Code, mine);
        var change = Assert.Single(await stranger.TapAsync("menu:change"));
        Assert.DoesNotContain(ChatContent.Options(change), o => o.Id.StartsWith($"appt:{victim.Id}:"));

        foreach (var action in new[] { "pick", "cancel", "cancel-yes", "reschedule", "confirm" })
        {
            var reply = Text(await stranger.TapAsync($"appt:{victim.Id}:{action}"));
            Assert.Equal(BotTexts.AppointmentNotFound, reply);
            Assert.DoesNotContain(victim.Code, reply);
        }
        await using var db = h.Db();
        var kept = await db.Appointments.SingleAsync(a => a.Id == victim.Id);
        Assert.Equal((AppointmentStatus.Booked, Tomorrow9), (kept.Status, kept.Start));
        Assert.False(await db.JourneyEvents.AnyAsync(e => e.AppointmentId == victim.Id && e.Channel == Channel.WhatsApp));
        // The victim, writing from their own phone, still sees and manages it.
        Assert.Contains(victim.Code, Text(await new BotChat(h, "573109990000").TapAsync("menu:mine")));
    }

    [Fact]
    public async Task The_bot_shows_cancels_and_rates_only_tickets_whose_contact_phone_is_the_sender()
    {
        // The victim's remote ticket, taken on the web with the victim's document and phone.
        var tramites = await h.ServiceAsync(Tramites);
        var remote = await h.Queue.IssueRemoteAsync(new RemoteTicketRequest(tramites.BranchId, tramites.Id, Channel.Web, Guid.NewGuid(), VictimPhone,
            WhatsAppConsent: true, DataPolicyAccepted: true, new IntakeInput(DocumentType.CC, VictimDoc, "Ana Víctima", VictimPhone, null,
                new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" })));
        // A victim's kiosk ticket served to the end, waiting for its rating.
        var caja = await h.ServiceAsync("Caja");
        var served = await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), null, VictimPhone, true));
        var counter = await h.CounterAsync("Ventanilla 1");
        var called = (await h.Queue.CallNextAsync(counter.Id, "agent-x"))!;
        var started = await h.Queue.StartAsync(called.Id, called.Version, "agent-x");
        await h.Queue.CompleteAsync(started.Id, started.Version, "agent-x", null);
        // The stranger books with the victim's document: that unlocks nothing.
        await StrangerBooksAsync();

        Assert.Equal(BotTexts.NoTickets + " " + BotTexts.MenuHint, Text(await stranger.TapAsync("menu:ticket")));
        var remoteId = (await h.TicketAsync(remote.Code)).Id;
        foreach (var action in new[] { "cancel", "cancel-yes" })
            Assert.StartsWith(BotTexts.TicketNotFound, Text(await stranger.TapAsync($"ticket:{remoteId}:{action}")));
        Assert.StartsWith(BotTexts.TicketNotFound, Text(await stranger.TapAsync($"rate:{called.Id}:1")));

        await using var db = h.Db();
        Assert.Equal(TicketStatus.Remote, (await db.Tickets.SingleAsync(t => t.Id == remoteId)).Status);
        Assert.Null((await db.Tickets.SingleAsync(t => t.Id == called.Id)).Rating);
        Assert.Equal(served.Code, called.Code);
        // From the victim's own phone the same taps work.
        var victim = new BotChat(h, "573109990000");
        Assert.Equal(BotTexts.RatingThanks, Text(await victim.TapAsync($"rate:{called.Id}:5")));
    }

    [Fact]
    public async Task Codes_are_ten_characters_from_the_unambiguous_alphabet()
    {
        Assert.True(Math.Log2(BookingService.CodeAlphabet.Length) * Appointment.CodeLength >= 48);
        Assert.DoesNotContain(BookingService.CodeAlphabet, c => c is '0' or 'O' or '1' or 'I' or 'L');
        var codes = Enumerable.Range(0, 200).Select(_ => BookingService.NewCode()).ToList();
        Assert.All(codes, c => Assert.Matches("^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Matches("^[A-Z2-9]{10}$", (await VictimBooksAsync()).Code);
    }

    [Fact]
    public async Task Each_consent_names_the_version_of_the_text_its_channel_showed()
    {
        await VictimBooksAsync();
        var caja = await h.ServiceAsync("Caja");
        await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), null, "3205556666", true));
        await h.IssueAsync(Tramites, intake: new IntakeInput(DocumentType.CC, "70111222", "Pedro Gil", "3205557777", null,
            new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }));

        await using var db = h.Db();
        var consents = await db.Set<ConsentRecord>().ToListAsync();
        Assert.All(consents.Where(c => c.Channel == Channel.Web), c => Assert.Equal(ConsentTexts.Web, c.TextVersion));
        Assert.All(consents.Where(c => c.Channel == Channel.Kiosk), c => Assert.Equal(ConsentTexts.Kiosk, c.TextVersion));
        Assert.Contains(consents, c => c is { Channel: Channel.Web, Purpose: ConsentRecord.DataProcessing });
        Assert.Contains(consents, c => c is { Channel: Channel.Kiosk, Purpose: ConsentRecord.DataProcessing }); // the kiosk intake's authorization
        Assert.Contains(consents, c => c is { Channel: Channel.Kiosk, Purpose: ConsentRecord.WhatsAppTicketUpdates });
    }

    [Fact]
    public async Task A_walk_in_with_personal_data_needs_the_authorization_shown()
    {
        var tramites = await h.ServiceAsync(Tramites);
        var intake = new IntakeInput(DocumentType.CC, "70111222", "Pedro Gil", "3205557777", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });
        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            h.Queue.IssueAsync(new IssueTicketRequest(tramites.BranchId, tramites.Id, Channel.Api, Guid.NewGuid(), Intake: intake)));
        Assert.Equal("Ticket.DataPolicyRequired", ex.Code);
        await using var db = h.Db();
        Assert.False(await db.Customers.AnyAsync());
    }

    [Fact]
    public async Task Active_appointments_are_capped_per_phone_and_per_document_with_one_neutral_message()
    {
        // Three documents, one phone: the fourth booking for that phone is refused.
        for (var i = 0; i < 3; i++) await BookAsync(Tomorrow9.AddHours(i), $"7000000{i}", "Persona Uno", StrangerPhone);
        var byPhone = await Assert.ThrowsAsync<DomainException>(() => BookAsync(Tomorrow9.AddHours(4), "70000009", "Persona Uno", StrangerPhone));
        // One document, three phones (over two services): the fourth booking for that document is refused.
        for (var i = 0; i < 3; i++) await BookAsync(Tomorrow9.AddDays(1).AddHours(i), VictimDoc, "Ana Víctima", $"310999000{i}", i == 0 ? Asesoria : Tramites);
        // (Asesoría holds one of them: below its own per-service limit, so the cap over all services is what refuses.)
        var byDocument = await Assert.ThrowsAsync<DomainException>(() => BookAsync(Tomorrow9.AddDays(2), VictimDoc, "Ana Víctima", "3109990009", Asesoria));

        Assert.Equal(("Booking.LimitReached", "Booking.LimitReached"), (byPhone.Code, byDocument.Code));
        Assert.Equal(byPhone.Message, byDocument.Message);
        Assert.DoesNotMatch("[0-9]", byPhone.Message); // no count, no code: nothing about what the phone or document holds
        await using var db = h.Db();
        Assert.Equal(6, await db.Appointments.CountAsync());
    }

    [Fact]
    public async Task Remote_tickets_of_a_day_are_capped_per_phone_and_per_document()
    {
        var tramites = await h.ServiceAsync(Tramites);
        var caja = await h.ServiceAsync("Caja");
        Task<TicketStatusView> Take(TurnoDigital.Core.Organization.Service s, string phone, string doc) => h.Queue.IssueRemoteAsync(new RemoteTicketRequest(s.BranchId, s.Id, Channel.Web,
            Guid.NewGuid(), phone, false, true, s.Id == tramites.Id ? new IntakeInput(DocumentType.CC, doc, "Ana Víctima", phone, null,
                new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }) : null));

        var first = await Take(caja, StrangerPhone, "");
        await h.Queue.CancelRemoteAsync(first.Code, Channel.Web);
        await Take(caja, StrangerPhone, "");
        // Two remote tickets today for this phone (a cancelled one counts: taking and cancelling is no way around the cap).
        var ex = await Assert.ThrowsAsync<DomainException>(() => Take(tramites, StrangerPhone, "80000001"));
        Assert.Equal("Remote.LimitReached", ex.Code);

        var byDoc = await Take(tramites, "3109990001", VictimDoc);
        await h.Queue.CancelRemoteAsync(byDoc.Code, Channel.Web);
        await Take(tramites, "3109990002", VictimDoc);
        ex = await Assert.ThrowsAsync<DomainException>(() => Take(tramites, "3109990003", VictimDoc));
        Assert.Equal("Remote.LimitReached", ex.Code);
        Assert.DoesNotMatch("[0-9]", ex.Message);
    }

    [Fact]
    public async Task Confirmations_to_one_phone_are_capped_per_hour()
    {
        // Three people type the same phone into their bookings: the third confirmation is not sent.
        var booked = new List<AppointmentView>();
        for (var i = 0; i < 3; i++) booked.Add(await BookAsync(Tomorrow9.AddHours(i), $"7100000{i}", "Persona Uno", VictimPhone));
        await using (var db = h.Db())
            Assert.Equal(2, await db.Outbox.CountAsync(m => m.To == "573109990000" && m.Kind == MessageKind.AppointmentConfirmation));
        // An hour later the phone hears again (one booking freed so the per-phone cap on active bookings lets it through).
        h.Clock.Advance(TimeSpan.FromMinutes(61));
        await Bookings.CancelAsync(booked[0].Code, Channel.Web);
        await BookAsync(Tomorrow9.AddHours(6), "71000008", "Persona Uno", VictimPhone, Tramites);
        await using var check = h.Db();
        Assert.Equal(3, await check.Outbox.CountAsync(m => m.To == "573109990000" && m.Kind == MessageKind.AppointmentConfirmation));
    }

    [Fact]
    public async Task Erasure_clears_the_contact_kept_on_each_visit_and_export_includes_it()
    {
        var booked = await VictimBooksAsync();
        int customerId;
        await using (var db = h.Db()) customerId = await db.Customers.Select(c => c.Id).SingleAsync();
        var privacy = h.Services.GetRequiredService<TurnoDigital.Core.Privacy.PersonalDataService>();
        var export = System.Text.Json.Nodes.JsonNode.Parse(await privacy.ExportAsync(customerId, null, "test"))!;
        Assert.Equal("+573109990000", export["appointments"]![0]!["contactPhone"]!.GetValue<string>());

        await privacy.EraseAsync(customerId, null, "test");
        await using var check = h.Db();
        var a = await check.Appointments.SingleAsync(x => x.Id == booked.Id);
        Assert.Equal((null, null, null, false), (a.ContactPhone, a.ContactName, a.ContactEmail, a.WhatsAppOptIn));
    }

    [Fact]
    public async Task The_migration_gives_existing_appointments_and_tickets_the_customers_phone_and_consent()
    {
        var booked = await VictimBooksAsync();
        var caja = await h.ServiceAsync("Caja");
        var ticket = await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), null, "3205556666", true));
        await using (var db = h.Db())
        {
            // Back to the schema before the change (its columns dropped), then forward again: the migration fills them.
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("CustomerValueObjects");
            await migrator.MigrateAsync();
        }
        await using var check = h.Db();
        var a = await check.Appointments.SingleAsync(x => x.Id == booked.Id);
        Assert.Equal(("+573109990000", true), (a.ContactPhone?.Value, a.WhatsAppOptIn));
        var t = await check.Tickets.SingleAsync(x => x.Code == ticket.Code);
        Assert.Equal(("+573205556666", true), (t.ContactPhone?.Value, t.WhatsAppOptIn));
    }
}
