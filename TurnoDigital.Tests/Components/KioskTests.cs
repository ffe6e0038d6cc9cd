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
        cut.WaitForElement("[data-service]");
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
        Assert.Contains("atención preferencial", cut.Find("h1").TextContent);
        cut.Find("[data-priority=OlderAdult]").Click();
        Assert.Contains("WhatsApp", cut.Find("h1").TextContent);
        foreach (var d in "3001234567") cut.Find($".kiosk-key[aria-label=\"{d}\"]").Click();
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
    public async Task Idle_thirty_seconds_goes_back_to_the_start_in_Spanish()
    {
        var cut = await RenderKioskAsync();
        cut.Find(".kiosk-lang").Click();
        cut.FindAll("[data-service]")[0].Click();
        Assert.Contains("priority", cut.Find("h1").TextContent);
        H.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Contains("priority", cut.Find("h1").TextContent);
        H.Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("¿Qué necesita hoy?", cut.Find("h1").TextContent));
    }

    [Fact]
    public async Task Language_switch_shows_english()
    {
        var cut = await RenderKioskAsync();
        cut.Find(".kiosk-lang").Click();
        Assert.Equal("What do you need today?", cut.Find("h1").TextContent);
        Assert.Contains("Cashier", cut.Markup);
    }

    async Task<TurnoDigital.Core.Appointments.AppointmentView> BookAsync(int hour, int minute)
    {
        var s = await H.ServiceAsync("Asesoría de créditos");
        var booking = H.Services.GetRequiredService<TurnoDigital.Core.Appointments.BookingService>();
        return await booking.BookAsync(new(s.BranchId, s.Id, new DateTime(2026, 11, 25, hour + 5, minute, 0, DateTimeKind.Utc), TurnoDigital.Core.Common.Channel.Web,
            new(TurnoDigital.Core.Customers.DocumentType.CC, "52123456", "Rosa Díaz", "3101234567", "rosa@example.co"), Guid.NewGuid()));
    }

    [Fact]
    public async Task Tengo_cita_with_the_document_on_the_keypad_gives_an_appointment_ticket()
    {
        await BookAsync(10, 30);
        var cut = await RenderKioskAsync();
        cut.Find("[data-action=have-appointment]").Click();
        foreach (var d in "52123456") cut.Find($".kiosk-key[aria-label=\"{d}\"]").Click();
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
        cut.Find("[data-testid=checkin-input]").Input("99999999");
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("No encontramos una cita", cut.Find(".kiosk-error").TextContent));

        cut.Find("[data-testid=checkin-input]").Input(a.Code); // what a scanner types
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("desde las 1:30", cut.Find(".kiosk-note").TextContent));
    }
}
