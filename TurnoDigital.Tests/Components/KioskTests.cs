using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Devices;
using TurnoDigital.Web.Components.Pages.Kiosk;

namespace TurnoDigital.Tests.Components;

public class KioskTests : ComponentTestBase
{
    async Task<IRenderedComponent<Kiosk>> RenderKioskAsync()
    {
        await SignInAsDeviceAsync(DeviceKind.Kiosk);
        var cut = Render<Kiosk>();
        // Ready means the first load has rendered for good: no handler found after this is replaced by a late render.
        cut.WaitForElement(".kiosk[aria-busy=false] [data-service]");
        return cut;
    }

    [Fact]
    public async Task Shows_only_walk_in_services_with_their_line()
    {
        await H.IssueAsync("Caja");
        var cut = await RenderKioskAsync();
        var names = cut.FindAll("[data-service] .kiosk-choice__name").Select(e => e.TextContent).ToList();
        Assert.Equal(["Caja", "Información", "Trámites y certificados"], names);
        Assert.Contains("1 persona en fila", cut.Find("[data-service] .kiosk-choice__meta").TextContent);
    }

    [Fact]
    public async Task Service_then_priority_then_whatsapp_then_the_ticket()
    {
        var cut = await RenderKioskAsync();
        cut.FindAll("[data-service]")[0].Click();
        // Each step renders when its handler has finished: wait for it rather than read the markup at once.
        cut.WaitForAssertion(() => Assert.Contains("atención preferencial", cut.Find("h1").TextContent));
        cut.WaitForElement("[data-priority=OlderAdult]").Click();
        cut.WaitForAssertion(() => Assert.Contains("WhatsApp", cut.Find("h1").TextContent));
        foreach (var d in "3001234567") cut.WaitForElement($".kiosk-key[aria-label=\"{d}\"]").Click();
        Assert.Equal("300 123 4567", cut.Find(".kiosk-phone__value").TextContent);
        cut.Find("[data-action=with-phone]").Click();
        Assert.Contains("autorización", cut.Find(".kiosk-error").TextContent); // consent not ticked
        cut.Find(".kiosk-consent input").Change(true);
        cut.Find("[data-action=with-phone]").Click();

        cut.WaitForAssertion(() => Assert.Equal("A-001", cut.Find(".ticket__number").TextContent));
        Assert.Equal("0", cut.Find("[data-testid=people-ahead]").TextContent);
        Assert.StartsWith("data:image/png;base64,", cut.Find(".ticket__qr").GetAttribute("src"));
        await using var db = H.Db();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal(TurnoDigital.Core.Queueing.PriorityClass.Preferential, ticket.Priority);
        Assert.NotNull(ticket.CustomerId);
    }

    [Fact]
    public async Task A_kiosk_issuing_more_tickets_than_its_limit_gets_a_clear_message_and_no_ticket()
    {
        Limits.KioskTickets.PermitLimit = 1;
        var cut = await RenderKioskAsync();
        void TakeCaja()
        {
            cut.WaitForElement("[data-service]").Click();
            cut.WaitForElement("[data-priority=none]").Click();
            cut.WaitForElement("[data-action=skip-phone]").Click();
        }
        TakeCaja();
        cut.WaitForAssertion(() => Assert.Equal("A-001", cut.Find(".ticket__number").TextContent));
        cut.FindAll("button").First(b => b.TextContent.Contains("Terminar")).Click();
        TakeCaja();
        cut.WaitForAssertion(() => Assert.Contains("demasiadas solicitudes", cut.Find(".kiosk-error").TextContent));
        await using var db = H.Db();
        Assert.Equal(1, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task Idle_warns_first_gives_twenty_seconds_and_one_tap_extends()
    {
        var cut = await RenderKioskAsync();
        cut.Find(".kiosk-lang").Click();
        cut.FindAll("[data-service]")[0].Click();
        Assert.Contains("priority", cut.Find("h1").TextContent);

        // Not at 29 s: the warning that appears at 30 s still offers the full twenty seconds, so it did not start earlier.
        H.Clock.Advance(TimeSpan.FromSeconds(29));
        H.Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("Do you need more time?", cut.Find(".kiosk-timeout h2").TextContent));
        Assert.Contains("in 20 seconds", cut.Find("#timeout-text").TextContent);
        H.Clock.Advance(TimeSpan.FromSeconds(19));
        cut.WaitForAssertion(() => Assert.Contains("in 1 seconds", cut.Find("#timeout-text").TextContent));
        cut.Find("[data-action=more-time]").Click();
        Assert.Empty(cut.FindAll(".kiosk-timeout"));
        Assert.Contains("priority", cut.Find(".kiosk > h1, .kiosk h1.kiosk-title").TextContent);

        H.Clock.Advance(TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".kiosk-timeout")));
        H.Clock.Advance(TimeSpan.FromSeconds(20));
        cut.WaitForAssertion(() => Assert.Equal("¿Qué necesita hoy?", cut.Find("h1").TextContent));
        Assert.Empty(cut.FindAll(".kiosk-timeout"));
    }

    [Fact]
    public async Task The_ticket_screen_warns_that_the_ticket_is_saved_before_going_back()
    {
        var cut = await RenderKioskAsync();
        cut.FindAll("[data-service]")[0].Click();
        cut.Find("[data-priority=none]").Click();
        cut.Find("[data-action=skip-phone]").Click();
        cut.WaitForAssertion(() => Assert.Equal("A-001", cut.Find(".ticket__number").TextContent));
        H.Clock.Advance(TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Contains("A-001 ya quedó registrado", cut.Find(".kiosk-timeout").TextContent));
    }

    [Fact]
    public async Task Veterans_are_offered_preferential_attention_and_their_ticket_says_why()
    {
        var cut = await RenderKioskAsync();
        cut.FindAll("[data-service]")[0].Click();
        Assert.Contains("veteranos de la Fuerza Pública", cut.WaitForElement(".kiosk-note").TextContent);
        Assert.Equal("Veterano de la Fuerza Pública", cut.WaitForElement("[data-priority=Veteran]").TextContent.Trim());
        cut.Find("[data-priority=Veteran]").Click();
        cut.WaitForAssertion(() => Assert.Contains("WhatsApp", cut.Find("h1").TextContent));
        cut.Find("[data-action=skip-phone]").Click();
        await using var db = H.Db();
        await cut.WaitForAssertionAsync(async () => Assert.Equal((TurnoDigital.Core.Queueing.PriorityClass.Preferential, (TurnoDigital.Core.Queueing.PreferentialReason?)TurnoDigital.Core.Queueing.PreferentialReason.Veteran),
            await db.Tickets.Select(t => ValueTuple.Create(t.Priority, t.PreferentialReason)).SingleAsync()));
    }

    [Fact]
    public async Task The_older_adult_choice_says_the_admins_age_threshold()
    {
        var cut = await RenderKioskAsync();
        cut.FindAll("[data-service]")[0].Click();
        Assert.Contains("Persona mayor (60 años o más)", cut.WaitForElement("[data-priority=OlderAdult]").TextContent);
        await H.Services.GetRequiredService<TurnoDigital.Core.Organization.OrganizationAdmin>().UpdateSettingsAsync(62, 730);
        var fresh = Render<Kiosk>();
        fresh.WaitForElement("[data-service]").Click();
        Assert.Contains("Persona mayor (62 años o más)", fresh.WaitForElement("[data-priority=OlderAdult]").TextContent);
    }

    [Fact]
    public async Task Only_the_enabled_preferential_categories_are_offered_on_a_running_kiosk()
    {
        var cut = await RenderKioskAsync();
        // Changed while the kiosk shows the start screen: the next queue event reloads it, no restart.
        await H.Services.GetRequiredService<TurnoDigital.Core.Organization.OrganizationAdmin>().UpdateSettingsAsync(60, 730, "admin-1",
            [TurnoDigital.Core.Queueing.PreferentialReason.OlderAdult, TurnoDigital.Core.Queueing.PreferentialReason.Disability]);
        await H.IssueAsync("Caja");
        cut.WaitForAssertion(() => Assert.Contains("1 persona en fila", cut.Find("[data-service] .kiosk-choice__meta").TextContent));
        cut.FindAll("[data-service]")[0].Click();
        cut.WaitForAssertion(() => Assert.Equal(["none", "OlderAdult", "Disability"], cut.FindAll("[data-priority]").Select(b => b.GetAttribute("data-priority"))));
        Assert.Equal("Es para personas mayores o personas con discapacidad.", cut.Find(".kiosk-note").TextContent);
        Assert.DoesNotContain("Embarazo", cut.Markup);
    }

    [Fact]
    public async Task With_no_category_enabled_the_priority_step_is_skipped_and_the_ticket_is_ordinary()
    {
        await H.Services.GetRequiredService<TurnoDigital.Core.Organization.OrganizationAdmin>().UpdateSettingsAsync(60, 730, "admin-1", []);
        var cut = await RenderKioskAsync();
        cut.FindAll("[data-service]")[0].Click();
        cut.WaitForAssertion(() => Assert.Contains("WhatsApp", cut.Find("h1").TextContent));
        Assert.Empty(cut.FindAll("[data-priority]"));
        cut.Find(".kiosk-back").Click(); // back goes to the services, not to a hidden step
        cut.WaitForAssertion(() => Assert.Equal("¿Qué necesita hoy?", cut.Find("h1").TextContent));

        cut.FindAll("[data-service]")[0].Click();
        cut.WaitForElement("[data-action=skip-phone]").Click();
        cut.WaitForAssertion(() => Assert.Equal("A-001", cut.Find(".ticket__number").TextContent));
        await using var db = H.Db();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal((TurnoDigital.Core.Queueing.PriorityClass.Ordinary, (TurnoDigital.Core.Queueing.PreferentialReason?)null), (ticket.Priority, ticket.PreferentialReason));
    }

    [Fact]
    public async Task Language_switch_shows_english()
    {
        var cut = await RenderKioskAsync();
        cut.Find(".kiosk-lang").Click();
        cut.WaitForAssertion(() => Assert.Equal("What do you need today?", cut.Find("h1").TextContent)); // a live refresh may render in between
        Assert.Contains("Cashier", cut.Markup);
    }

    async Task<TurnoDigital.Core.Appointments.AppointmentView> BookAsync(int hour, int minute)
    {
        var s = await H.ServiceAsync("Asesoría de créditos");
        var booking = H.Services.GetRequiredService<TurnoDigital.Core.Appointments.BookingService>();
        return await booking.BookAsync(new(s.BranchId, s.Id, new DateTime(2026, 11, 25, hour + 5, minute, 0, DateTimeKind.Utc), TurnoDigital.Core.Common.Channel.Web,
            new(TurnoDigital.Core.Customers.DocumentType.CC, "52123456", "Rosa Díaz", "3101234567", "rosa@example.co"), Guid.NewGuid(), DataPolicyAccepted: true));
    }

    [Fact]
    public async Task Tengo_cita_with_the_document_on_the_keypad_gives_an_appointment_ticket()
    {
        await BookAsync(10, 30);
        var cut = await RenderKioskAsync();
        cut.Find("[data-action=have-appointment]").Click();
        // The arrival step renders its keypad once it has loaded; wait for it as for its input.
        foreach (var d in "52123456") cut.WaitForElement($".kiosk-key[aria-label=\"{d}\"]").Click();
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Equal("C-001", cut.Find(".ticket__number").TextContent));
        Assert.Equal("Con cita", cut.Find(".ticket__pref").TextContent);
        Assert.DoesNotContain("Rosa", cut.Markup); // never personal data on the public screen
    }

    [Fact]
    public async Task Tengo_cita_too_early_says_when_to_come_back_and_unknown_says_so()
    {
        var a = await BookAsync(14, 0);
        var cut = await RenderKioskAsync();
        cut.Find("[data-action=have-appointment]").Click();
        cut.WaitForElement("[data-testid=checkin-input]").Input("99999999");
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("No encontramos una cita", cut.Find(".kiosk-error").TextContent));

        cut.WaitForElement("[data-testid=checkin-input]").Input(a.Code); // what a scanner types
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("desde las 1:30", cut.Find(".kiosk-note").TextContent));
    }

    // ---- The service's intake on walk-in tickets ----

    static void Keys(IRenderedComponent<Kiosk> cut, string text)
    {
        foreach (var c in text) cut.Find($".kiosk-key[aria-label=\"{(c == ' ' ? "Espacio" : c.ToString())}\"]").Click();
    }

    static void Continue(IRenderedComponent<Kiosk> cut) => cut.Find("[data-action=intake-next]").Click();

    static void Asked(IRenderedComponent<Kiosk> cut, string field, string part = "value") => cut.WaitForAssertion(() =>
    {
        Assert.Equal(field, cut.Find("[data-intake-field]").GetAttribute("data-intake-field"));
        Assert.Equal(part, cut.Find("[data-intake-field]").GetAttribute("data-intake-part"));
    });

    async Task<IRenderedComponent<Kiosk>> TramitesUpToPhoneAsync()
    {
        var cut = await RenderKioskAsync();
        cut.Find("[data-service]:last-child").Click();
        cut.WaitForElement("[data-priority=none]").Click();
        Asked(cut, "document", "type");
        Assert.Equal(7, cut.FindAll("[data-doc-type]").Count);
        Assert.Empty(cut.FindAll("[data-action=intake-skip]")); // required: no "Omitir"
        cut.Find("[data-doc-type=CC]").Click();
        Asked(cut, "document");
        Assert.NotNull(cut.Find(".kiosk-keypad")); // a cédula is digits only
        Keys(cut, "1020304050");
        Continue(cut);
        Asked(cut, "fullName");
        Assert.NotNull(cut.Find(".kiosk-keyboard .kiosk-key[aria-label=\"Ñ\"]"));
        Keys(cut, "ANA RIOS");
        Assert.Equal("ANA RIOS", cut.Find(".kiosk-typed").TextContent);
        Continue(cut);
        Asked(cut, "phone");
        return cut;
    }

    [Fact]
    public async Task Tramites_asks_its_intake_one_screen_at_a_time_and_issues_the_ticket_with_the_customer()
    {
        var cut = await TramitesUpToPhoneAsync();
        Keys(cut, "3001234567");
        Continue(cut);
        Asked(cut, "email");
        cut.Find("[data-action=intake-skip]").Click(); // optional
        Asked(cut, "tramite");
        Assert.Equal(["Certificado laboral", "Paz y salvo", "Actualización de datos"], cut.FindAll("[data-option]").Select(b => b.GetAttribute("data-option")).ToList());
        cut.Find("[data-option=\"Paz y salvo\"]").Click();

        cut.WaitForAssertion(() => Assert.Contains("WhatsApp", cut.Find("h1").TextContent));
        Assert.Equal("300 123 4567", cut.Find(".kiosk-phone__value").TextContent); // prefilled from the intake
        cut.Find("[data-action=skip-phone]").Click();

        cut.WaitForAssertion(() => Assert.Equal("D-001", cut.Find(".ticket__number").TextContent));
        Assert.DoesNotContain("ANA", cut.Markup); // personal data never on the ticket screen
        Assert.DoesNotContain("1020304050", cut.Markup);
        await using var db = H.Db();
        var ticket = await db.Tickets.Include(t => t.Customer).SingleAsync();
        Assert.Equal("D-001", ticket.Number);
        Assert.Equal("1020304050", ticket.Customer!.Document?.Number);
        Assert.Equal("ANA RIOS", ticket.Customer.FullName);
        Assert.Equal("+573001234567", ticket.Customer.Phone?.Value);
        Assert.Contains("Paz y salvo", ticket.IntakeData);
    }

    [Fact]
    public async Task A_bad_phone_stays_on_its_screen_with_the_message_and_keeps_the_other_answers()
    {
        var cut = await TramitesUpToPhoneAsync();
        Keys(cut, "12");
        Continue(cut);
        Asked(cut, "phone");
        Assert.Contains("celular no es válido", cut.Find("[role=alert]").TextContent);
        Assert.Equal("12", cut.Find(".kiosk-typed").TextContent);

        cut.Find("[data-action=intake-back]").Click();
        Asked(cut, "fullName");
        Assert.Equal("ANA RIOS", cut.Find(".kiosk-typed").TextContent);
    }

    [Fact]
    public async Task An_intake_error_when_issuing_goes_back_to_that_question_with_its_message_and_nothing_lost()
    {
        var cut = await TramitesUpToPhoneAsync();
        Keys(cut, "3001234567");
        Continue(cut);
        cut.Find("[data-action=intake-skip]").Click();
        cut.Find("[data-option=\"Paz y salvo\"]").Click();
        cut.WaitForAssertion(() => Assert.Contains("WhatsApp", cut.Find("h1").TextContent));

        // Meanwhile the admin drops that option: the Core check at issue time catches it.
        await using (var db = H.Db())
        {
            var tramite = await db.IntakeFields.SingleAsync(f => f.Key == "tramite");
            tramite.Options = "Certificado laboral|Actualización de datos";
            await db.SaveChangesAsync();
        }
        cut.Find("[data-action=skip-phone]").Click();

        Asked(cut, "tramite");
        Assert.Contains("Elija una opción válida", cut.Find("[role=alert]").TextContent);
        cut.Find("[data-action=intake-back]").Click();
        cut.Find("[data-action=intake-back]").Click();
        Asked(cut, "phone");
        Assert.Equal("3001234567", cut.Find(".kiosk-typed").TextContent);
        await using var check = H.Db();
        Assert.Equal(0, await check.Tickets.CountAsync());
    }

    [Fact]
    public async Task After_closing_the_kiosk_offers_no_service_and_names_the_next_opening()
    {
        await H.OpenEightToFiveAsync();
        H.Clock.Advance(TimeSpan.FromHours(8)); // Wednesday 18:00
        await SignInAsDeviceAsync(DeviceKind.Kiosk);
        var cut = Render<Kiosk>();
        cut.WaitForAssertion(() => Assert.Equal("La sede vuelve a abrir el jueves 26 de noviembre a las 8:00 a. m.", cut.Find("[data-testid=next-opening]").TextContent));
        Assert.Empty(cut.FindAll("[data-service]"));
    }

    [Fact]
    public async Task After_a_supervisor_closes_the_day_early_the_open_kiosk_offers_no_service_and_names_the_next_opening()
    {
        var branchId = await H.OpenEightToFiveAsync(); // Wednesday 10:00: open until 17:00
        var cut = await RenderKioskAsync();
        string supervisor;
        await using (var db = H.Db()) supervisor = await db.Users.Where(u => u.Email == "supervisor@demo.turno").Select(u => u.Id).SingleAsync();

        await H.Queue.CloseDayAsync(branchId, supervisor, "Corte de energía");

        // Not "later today": the day is over, so the next opening is tomorrow's.
        cut.WaitForAssertion(() => Assert.Equal("La sede vuelve a abrir el jueves 26 de noviembre a las 8:00 a. m.", cut.Find("[data-testid=next-opening]").TextContent));
        Assert.Empty(cut.FindAll("[data-service]"));
    }
}
