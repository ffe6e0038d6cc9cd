using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Devices;
using TurnoDigital.Web.Components.Pages.Kiosk;

namespace TurnoDigital.Tests.Components;

/// <summary>Issue 14 §3: the kiosk looks a person up by document type and number (CC 123 and TI 123 are different people).</summary>
public class DocumentTypeLookupTests : ComponentTestBase
{
    [Fact]
    public async Task The_kiosk_checks_in_by_document_type_and_number()
    {
        var s = await H.ServiceAsync("Trámites y certificados");
        var start = new DateTime(2026, 11, 25, 15, 40, 0, DateTimeKind.Utc); // 10:40 Bogotá; the clock is at 10:00
        await H.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(s.BranchId, s.Id, start, Channel.Web,
            new IntakeInput(DocumentType.TI, "1012345678", "Sofía Ruiz", "3001234567", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }),
            Guid.NewGuid(), DataPolicyAccepted: true));
        H.Clock.Advance(TimeSpan.FromMinutes(30)); // inside the check-in window
        await SignInAsDeviceAsync(DeviceKind.Kiosk);
        var cut = Render<Kiosk>();
        cut.WaitForElement("[data-service]");
        cut.Find("[data-action=have-appointment]").Click();

        // Older adults read the full name under the abbreviation.
        cut.WaitForAssertion(() => Assert.Equal(["CC Cédula de ciudadanía", "TI Tarjeta de identidad", "CE Cédula de extranjería", "PA Pasaporte",
                "PPT Permiso por protección temporal", "RC Registro civil"],
            cut.FindAll("[data-doc-type]").Select(b => $"{b.QuerySelector(".kiosk-doc-type__abbr")!.TextContent} {b.QuerySelector(".kiosk-doc-type__name")!.TextContent}")));
        cut.WaitForElement("[data-testid=checkin-input]").Input("1012345678"); // CC is chosen first
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".kiosk-error")));

        cut.Find("[data-doc-type=TI]").Click();
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Equal("D-001", cut.Find(".ticket__number").TextContent));
        await using var db = H.Db();
        Assert.Equal(AppointmentStatus.CheckedIn, (await db.Appointments.SingleAsync()).Status);
    }
}
