using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using TurnoDigital.Tests.Web.Live;

namespace TurnoDigital.Tests.Web.Appointments;

/// <summary>
/// /cita/{code} without a circuit: a static page whose steps are addresses, whose changes post with antiforgery and redirect
/// back, and which stays live through /cita/{code}/live. The clock starts Wed 2026-11-25 10:00 in Bogotá; each slot seats one.
/// </summary>
public partial class ManageAppointmentPageTests(ManageAppointmentPageTests.Factory factory) : IClassFixture<ManageAppointmentPageTests.Factory>
{
    public sealed class Factory : BuiltWebFactory
    {
        protected override async Task SeedAsync(IServiceProvider services)
        {
            await services.SaveAsync(A.Branch("Sede Prueba")
                .With(A.Service("Asesoría de créditos", "C").Schedulable(slotMinutes: 30).StandardIntake())
                .WithCounter("Ventanilla 1", "Asesoría de créditos"));
            // Today's first free time may be an hour away: its check-in is open now.
            await using var db = services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
            (await db.Services.SingleAsync()).CheckInEarlyMinutes = 180;
            await db.SaveChangesAsync();
        }
    }

    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    const string Tomorrow = "2026-11-26";

    BookingService Booking => factory.Services.GetRequiredService<BookingService>();

    // ICU writes "a. m." with no-break spaces; people read plain spaces.
    static string Plain(string s) => s.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    async Task<(int BranchId, int ServiceId)> ServiceAsync()
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        var s = await db.Services.AsNoTracking().SingleAsync();
        return (s.BranchId, s.Id);
    }

    static int people; // one person per booking: the per-person caps stay out of the way

    /// <summary>Books the first free slot of the day at or after <paramref name="from"/> (local HH:mm).</summary>
    async Task<AppointmentView> BookAsync(string day = Tomorrow, string from = "08:00")
    {
        var (branchId, serviceId) = await ServiceAsync();
        var slots = await factory.Services.GetRequiredService<AvailabilityService>().GetSlotsAsync(branchId, serviceId, DateOnly.Parse(day));
        var slot = slots.First(s => s.Free > 0 && string.CompareOrdinal(s.StartLocal.ToString("HH:mm"), from) >= 0);
        return await Booking.BookAsync(new BookingRequest(branchId, serviceId, slot.StartUtc, Channel.Web,
            new IntakeInput(DocumentType.CC, $"52{++people:D6}", "Ana Gómez", $"300{people:D7}", "ana@example.com"), Guid.NewGuid(), DataPolicyAccepted: true));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [Fact]
    public async Task The_page_is_static_and_live_and_an_unknown_code_is_a_clear_404()
    {
        var booked = await BookAsync();
        var client = factory.Browser();
        var page = await client.GetAsync($"/cita/{booked.Code.ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.HtmlAsync();
        Assert.Contains("data-interactive=\"no\"", html); // no circuit: nothing on the page is interactive
        Assert.Contains($"data-live-src=\"cita/{booked.Code}/live\"", html);
        Assert.Contains("data-testid=\"appointment-status\">Agendada<", html);
        Assert.DoesNotContain("Ana", html);
        Assert.DoesNotContain("ana@example.com", html);

        var unknown = await client.GetAsync("/cita/ZZZZZZZZ");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No encontramos", await unknown.HtmlAsync()); // the app's not-found page, like /t's
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/cita/ZZZZZZZZ/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/cita/ZZZZZZZZ/live?once=1")).StatusCode);
        // Nonsense in the steps' query is the appointment again, never an error.
        var odd = await client.GetAsync($"/cita/{booked.Code}?paso=cambiar&dia=ayer&hora=25:99&todos=x");
        Assert.Equal(HttpStatusCode.OK, odd.StatusCode);
        Assert.Contains("Elija el nuevo día", await odd.HtmlAsync());

        // In English after the language switch, the page and its live fragment alike.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync($"/culture?c=en&returnUrl=/cita/{booked.Code}")).StatusCode);
        Assert.Contains("data-testid=\"appointment-status\">Booked<", await client.GetHtmlAsync($"/cita/{booked.Code}"));
        Assert.Contains("data-testid=\"appointment-status\">Booked<", await client.GetHtmlAsync($"/cita/{booked.Code}/live?once=1"));
    }

    [Fact]
    public async Task Cancel_asks_first_posts_with_antiforgery_and_redirects_back_with_a_notice()
    {
        var booked = await BookAsync(from: "14:00");
        var client = factory.Browser();
        var url = $"/cita/{booked.Code}?paso=cancelar";
        var asked = await client.GetHtmlAsync(url);
        Assert.Contains("¿Cancelar la cita?", asked);
        Assert.Contains("data-action=\"confirm-cancel\"", asked);
        Assert.Equal(AppointmentStatus.Booked, (await Booking.GetAsync(booked.Code))!.Status); // asks first

        // Without the antiforgery token nothing happens.
        var forged = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "cancel-appointment" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(AppointmentStatus.Booked, (await Booking.GetAsync(booked.Code))!.Status);

        var cancelled = await client.SubmitAsync(url, "cancel-appointment", []);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        var back = cancelled.Headers.Location!.OriginalString;
        Assert.EndsWith($"/cita/{booked.Code}?aviso=cancelada", back);
        var after = await client.GetHtmlAsync(back);
        Assert.Contains("Su cita fue cancelada.", after);
        Assert.Contains("data-testid=\"appointment-status\">Cancelada<", after);
        Assert.DoesNotContain("data-action=\"cancel\"", after);
        Assert.DoesNotContain("data-live-src=\"cita/", after); // nothing left to follow
        Assert.Equal(AppointmentStatus.Cancelled, (await Booking.GetAsync(booked.Code))!.Status);
    }

    [Fact]
    public async Task Reschedule_walks_day_time_and_confirmation_then_redirects_back_with_the_new_time()
    {
        var booked = await BookAsync(from: "15:00");
        var client = factory.Browser();
        var days = await client.GetHtmlAsync($"/cita/{booked.Code}?paso=cambiar");
        Assert.Contains("Elija el nuevo día", days);
        Assert.Contains($"name=\"dia\" value=\"{Tomorrow}\"", days);
        Assert.Contains("data-action=\"more-days\"", days); // two weeks first…
        static int Days(string html) => Regex.Matches(html, "data-day=").Count;
        Assert.Equal(14, Days(days));
        Assert.True(Days(await client.GetHtmlAsync($"/cita/{booked.Code}?paso=cambiar&todos=1")) > 14); // …then all

        var times = await client.GetHtmlAsync($"/cita/{booked.Code}?paso=cambiar&dia={Tomorrow}");
        Assert.Contains("Elija la nueva hora", times);
        Assert.Contains("name=\"hora\" value=\"09:00\"", times);

        var url = $"/cita/{booked.Code}?paso=cambiar&dia={Tomorrow}&hora=09:00";
        Assert.Contains("Jueves 26 de noviembre de 2026, 9:00 a. m.", Plain(await client.GetHtmlAsync(url)));
        var moved = await client.SubmitAsync(url, "reschedule-appointment", []);
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.EndsWith($"/cita/{booked.Code}?aviso=cambiada", moved.Headers.Location!.OriginalString);
        var after = Plain(await client.GetHtmlAsync(moved.Headers.Location!.OriginalString));
        Assert.Contains("Listo. Su cita quedó para el Jueves 26 de noviembre de 2026, 9:00 a. m.", after);
        Assert.Equal(new DateTime(2026, 11, 26, 14, 0, 0), (await Booking.GetAsync(booked.Code))!.StartUtc);
    }

    [Fact]
    public async Task A_time_taken_meanwhile_is_refused_with_a_clear_message_and_the_free_times_again()
    {
        var booked = await BookAsync(from: "16:00");
        var client = factory.Browser();
        var url = $"/cita/{booked.Code}?paso=cambiar&dia={Tomorrow}&hora=10:00";
        var page = await client.GetHtmlAsync(url);
        Assert.Contains("data-action=\"confirm-reschedule\"", page);
        var other = await BookAsync(from: "10:00"); // someone else takes 10:00 (one seat)
        Assert.Equal(new DateTime(2026, 11, 26, 15, 0, 0), other.StartUtc);

        var refused = await client.PostAsync(url, Form("reschedule-appointment", page));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.HtmlAsync();
        Assert.Contains("Ese horario se acaba de ocupar. Por favor elija otro.", html);
        Assert.Contains("Elija la nueva hora", html);
        Assert.DoesNotContain("value=\"10:00\"", html);
        Assert.Equal(booked.StartUtc, (await Booking.GetAsync(booked.Code))!.StartUtc);
        // An address naming a time that is not free says the same.
        Assert.Contains("Ese horario se acaba de ocupar", await client.GetHtmlAsync(url));
    }

    /// <summary>A form as the browser sends it from a page it loaded earlier (its token included).</summary>
    static FormUrlEncodedContent Form(string handler, string page) => new(new Dictionary<string, string>
    {
        ["_handler"] = handler, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value),
    });

    [Fact]
    public async Task The_live_channel_shows_the_check_in_then_the_ticket_and_a_stale_cancel_says_why()
    {
        var booked = await BookAsync(day: "2026-11-25");
        var client = factory.Browser();
        var cancelPage = await client.GetHtmlAsync($"/cita/{booked.Code}?paso=cancelar");
        await using var live = await SseStream.OpenAsync(client, $"/cita/{booked.Code}/live");
        Assert.Contains("data-testid=\"appointment-status\">Agendada<", WebUtility.HtmlDecode(await live.NextAsync("status", Patience)));

        var checkIn = await factory.Services.GetRequiredService<CheckInService>().CheckInAsync(booked.Id, Channel.Kiosk);
        Assert.Equal(CheckInOutcome.CheckedIn, checkIn.Outcome);
        var arrived = WebUtility.HtmlDecode(await live.NextAsync("status", Patience));
        Assert.Contains("Ya registró su llegada", arrived);
        Assert.Contains($">{checkIn.Ticket!.Number}<", arrived);
        Assert.Contains("data-testid=\"ticket-status\">En espera<", arrived);
        Assert.Contains($"href=\"t/{checkIn.Ticket.Code}\"", arrived);
        Assert.DoesNotContain("data-action=\"cancel\"", arrived);

        int counterId;
        await using (var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            counterId = await db.Counters.Select(c => c.Id).SingleAsync();
        await factory.Services.GetRequiredService<QueueService>().CallNextAsync(counterId, "agent-1");
        string called;
        do called = WebUtility.HtmlDecode(await live.NextAsync("status", Patience));
        while (!called.Contains("Diríjase a Ventanilla 1"));
        Assert.Contains("Diríjase a Ventanilla 1", await client.GetHtmlAsync($"/cita/{booked.Code}/live?once=1"));

        // The cancel form loaded before the check-in is answered with why, not an error page.
        var stale = await client.PostAsync($"/cita/{booked.Code}?paso=cancelar", Form("cancel-appointment", cancelPage));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("Solo se puede cancelar una cita agendada.", await stale.HtmlAsync());
        Assert.Equal(AppointmentStatus.CheckedIn, (await Booking.GetAsync(booked.Code))!.Status);
    }
}
