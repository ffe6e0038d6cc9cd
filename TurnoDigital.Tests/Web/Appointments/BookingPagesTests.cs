using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Appointments;

/// <summary>The public booking pages over HTTP, on a branch with one walk-in and one bookable service.</summary>
public class BookingPagesTests(BookingPagesTests.Factory factory) : IClassFixture<BookingPagesTests.Factory>
{
    public sealed class Factory : BuiltWebFactory
    {
        protected override Task SeedAsync(IServiceProvider services) => services.SaveAsync(A.Branch("Sede Prueba")
            .With(A.Service("Caja").WalkIn(), A.Service("Asesoría de créditos", "C").Schedulable(slotMinutes: 30).StandardIntake(emailRequired: true)));
    }

    [Fact]
    public async Task Book_page_is_public_and_in_Spanish()
    {
        var r = await factory.Browser().GetAsync("/book");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.HtmlAsync();
        Assert.Contains("¿Para qué servicio es la cita?", html);
        Assert.Contains("Asesoría de créditos", html);
        Assert.DoesNotContain(">Caja<", html);
    }

    [Fact]
    public async Task Unknown_appointment_code_is_a_clear_404()
    {
        var r = await factory.Browser().GetAsync("/cita/UNKNOWN1");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("No encontramos", await r.HtmlAsync());
    }

    [Fact]
    public async Task Calendar_file_of_a_booked_appointment_is_in_UTC_with_the_code()
    {
        var services = factory.Services;
        var catalog = services.GetRequiredService<BookingCatalog>();
        var branch = (await catalog.GetServicesAsync()).Single(s => s.Name == "Asesoría de créditos").Branches.Single();
        var availability = services.GetRequiredService<AvailabilityService>();
        var day = (await availability.GetBookableDaysAsync(branch.BranchId, branch.ServiceId)).First();
        var slot = (await availability.GetSlotsAsync(branch.BranchId, branch.ServiceId, day)).First(s => s.Free > 0);
        var booked = await services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(branch.BranchId, branch.ServiceId, slot.StartUtc,
            Channel.Web, new IntakeInput(DocumentType.CC, "52111222", "Ana Gómez", "3001112233", "ana@example.com"), Guid.NewGuid(), DataPolicyAccepted: true));

        var r = await factory.Browser().GetAsync($"/cita/{booked.Code}/ics");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/calendar", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"cita-{booked.Code}.ics", r.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var ics = (await r.Content.ReadAsStringAsync()).Replace("\r\n ", ""); // unfold long lines
        Assert.Contains($"DTSTART:{slot.StartUtc:yyyyMMdd'T'HHmmss}Z", ics);
        Assert.Contains($"DTEND:{slot.StartUtc.AddMinutes(30):yyyyMMdd'T'HHmmss}Z", ics);
        Assert.Contains($"UID:{booked.Code}@turnodigital", ics);
        Assert.Contains("SUMMARY:Cita: Asesoría de créditos", ics);
        Assert.Contains("Sede Prueba", ics);
        Assert.Contains($"/cita/{booked.Code}", ics);
        Assert.Equal(1, ics.Split("BEGIN:VEVENT").Length - 1);
    }

    [Fact]
    public async Task Calendar_file_of_an_unknown_code_is_404()
    {
        var r = await factory.Browser().GetAsync("/cita/UNKNOWN1/ics");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }
}
