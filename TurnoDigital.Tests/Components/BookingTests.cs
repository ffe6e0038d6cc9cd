using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Web.Components.Pages.Book;
using TurnoDigital.Web.Components.Shared;

namespace TurnoDigital.Tests.Components;

/// <summary>The public booking steps on the real Core services; the clock is Wed 2026-11-25 10:00 in Bogotá.</summary>
public class BookingTests : ComponentTestBase, IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.AddSingleton(H.Services.GetRequiredService<AvailabilityService>());
        Services.AddSingleton(H.Services.GetRequiredService<BookingService>());
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
    }

    // ICU writes "a. m." with no-break spaces; people read plain spaces.
    static string Plain(string s) => s.Replace('\u00A0', ' ').Replace('\u202F', ' ').Trim();

    async Task<IRenderedComponent<Book>> WalkToIntakeAsync(string slot = "10:30")
    {
        var cut = Render<Book>();
        cut.WaitForElement("[data-service]");
        cut.Find("[data-service='Asesoría de créditos']").Click();
        // One branch offers it: the branch step is skipped.
        cut.WaitForElement("[data-day]");
        Assert.Equal("Paso 2 de 5", cut.Find(".steps__text").TextContent);
        Assert.Equal("2026-11-25", cut.Find("[data-day]").GetAttribute("data-day"));
        Assert.Contains("Hoy", cut.Find("[data-day]").TextContent);
        cut.WaitForElement("[data-day='2026-11-25']").Click();
        cut.WaitForElement($"[data-slot='{slot}']").Click();
        cut.WaitForElement("[data-testid=intake-form]");
        return cut;
    }

    static void TypeValidIntake(IRenderedComponent<Book> cut)
    {
        cut.Find("#book-document-type").Change("CC");
        cut.Find("#book-document").Input("1.020.304.050");
        cut.Find("#book-fullName").Input("María Pérez");
        cut.Find("#book-phone").Input("300 123 4567");
        cut.Find("#book-email").Input("maria@example.com");
    }

    static void ContinueToConsent(IRenderedComponent<Book> cut)
    {
        cut.Find("form").Submit();
        cut.WaitForElement("[data-consent=data]");
    }

    [Fact]
    public async Task Lists_only_services_that_take_appointments()
    {
        var cut = Render<Book>();
        cut.WaitForElement("[data-service]");
        Assert.Equal(["Asesoría de créditos", "Trámites y certificados"], cut.FindAll("[data-service]").Select(e => e.GetAttribute("data-service")).ToList());
        Assert.Equal("Paso 1 de 6", cut.Find(".steps__text").TextContent); // branch step still possible before a choice
        Assert.Empty(cut.FindAll("[data-action=back]"));
    }

    [Fact]
    public async Task Walks_the_steps_and_books_on_the_web_with_both_consents()
    {
        var cut = await WalkToIntakeAsync();
        // Slots start after the 30-minute notice and read as local times.
        Assert.Equal("Paso 4 de 5", cut.Find(".steps__text").TextContent);
        TypeValidIntake(cut);
        ContinueToConsent(cut);
        Assert.Contains("10:30 a. m.", Plain(cut.Find(".summary").TextContent));
        Assert.Contains("Ley 1581 de 2012", cut.Find(".policy").TextContent);
        cut.Find("[data-consent=data]").Change(true);
        cut.Find("[data-consent=whatsapp]").Change(true);
        cut.Find("[data-action=book]").Click();

        var code = cut.WaitForElement("[data-testid=appointment-code]").TextContent;
        Assert.Equal(10, code.Length); // ≥ 48 bits from the unambiguous alphabet
        Assert.Contains("Miércoles 25 de noviembre de 2026, 10:30 a. m.", Plain(cut.Find("[data-testid=appointment-when]").TextContent));
        Assert.Contains("Carrera 7 # 12-34", cut.Markup);
        Assert.Contains("use el kiosco con su número de documento o este código", cut.Markup);
        Assert.StartsWith("data:image/png;base64,", cut.Find(".confirmation__qr").GetAttribute("src"));
        Assert.Equal($"cita/{code}/ics", cut.Find("[data-action=ics]").GetAttribute("href"));
        Assert.Equal($"cita/{code}", cut.Find("[data-action=manage]").GetAttribute("href"));

        await using var db = H.Db();
        var a = await db.Appointments.Include(x => x.Customer).ThenInclude(c => c!.Consents).SingleAsync();
        Assert.Equal(code, a.Code);
        Assert.Equal(Channel.Web, a.Channel);
        Assert.Equal(new DateTime(2026, 11, 25, 15, 30, 0), a.Start);
        Assert.Equal("1020304050", a.Customer!.Document?.Number);
        Assert.Equal(DocumentType.CC, a.Customer.Document?.Type);
        Assert.Equal([ConsentRecord.DataProcessing, ConsentRecord.WhatsAppAppointmentUpdates],
            a.Customer.Consents.OrderBy(c => c.Purpose).Select(c => c.Purpose).ToList());
        Assert.All(a.Customer.Consents, c => Assert.Equal(Channel.Web, c.Channel));
    }

    [Fact]
    public async Task WhatsApp_reminders_are_a_separate_optional_choice()
    {
        var cut = await WalkToIntakeAsync();
        TypeValidIntake(cut);
        ContinueToConsent(cut);
        Assert.NotEqual(cut.Find("[data-consent=data]").Id, cut.Find("[data-consent=whatsapp]").Id);
        Assert.Null(cut.Find("[data-consent=whatsapp]").GetAttribute("checked"));
        cut.Find("[data-consent=data]").Change(true);
        cut.Find("[data-action=book]").Click();
        cut.WaitForElement("[data-testid=appointment-code]");

        await using var db = H.Db();
        var purposes = await db.ConsentRecords.Select(c => c.Purpose).ToListAsync();
        Assert.Equal([ConsentRecord.DataProcessing], purposes);
    }

    [Fact]
    public async Task Without_the_data_policy_nothing_is_booked()
    {
        var cut = await WalkToIntakeAsync();
        TypeValidIntake(cut);
        ContinueToConsent(cut);
        cut.Find("[data-consent=whatsapp]").Change(true);
        cut.Find("[data-action=book]").Click();
        Assert.Contains("aceptar la política de tratamiento de datos", cut.WaitForElement("[data-testid=book-message]").TextContent);
        Assert.Equal("consent", cut.Find(".book").GetAttribute("data-step"));
        await using var db = H.Db();
        Assert.Equal(0, await db.Appointments.CountAsync());
        Assert.Equal(0, await db.ConsentRecords.CountAsync());
    }

    [Fact]
    public async Task Invalid_intake_shows_field_messages_and_keeps_what_was_typed()
    {
        var cut = await WalkToIntakeAsync();
        cut.Find("#book-document-type").Change("CC");
        cut.Find("#book-document").Input("1020304050");
        cut.Find("#book-phone").Input("12345");
        cut.Find("#book-email").Input("maria@example.com");
        cut.Find("form").Submit();

        Assert.Equal("Escriba el nombre completo.", cut.WaitForElement("#book-fullName-error").TextContent);
        Assert.Contains("El celular no es válido", cut.Find("#book-phone-error").TextContent);
        // The first error in field order is the one announced.
        Assert.Equal("alert", cut.Find("#book-fullName-error").GetAttribute("role"));
        Assert.Null(cut.Find("#book-phone-error").GetAttribute("role"));
        Assert.Equal("true", cut.Find("#book-phone").GetAttribute("aria-invalid"));
        Assert.Equal("book-phone-error", cut.Find("#book-phone").GetAttribute("aria-describedby"));
        Assert.Equal("12345", cut.Find("#book-phone").GetAttribute("value"));
        Assert.Equal("1020304050", cut.Find("#book-document").GetAttribute("value"));
        Assert.Equal("intake", cut.Find(".book").GetAttribute("data-step"));

        // Fixing one field clears its message only.
        cut.Find("#book-phone").Input("3001234567");
        Assert.Empty(cut.FindAll("#book-phone-error"));
        Assert.Equal("Escriba el nombre completo.", cut.Find("#book-fullName-error").TextContent);

        // Going back and forward keeps it too.
        cut.Find("[data-action=back]").Click();
        cut.WaitForElement("[data-slot='10:30']").Click();
        Assert.Equal("maria@example.com", cut.WaitForElement("#book-email").GetAttribute("value"));
        cut.Find("#book-fullName").Input("María Pérez");
        cut.Find("#book-phone").Input("3001234567");
        cut.Find("form").Submit();
        cut.WaitForElement("[data-consent=data]");
    }

    [Fact]
    public async Task A_slot_taken_meanwhile_goes_back_to_the_slots_with_the_message()
    {
        var cut = await WalkToIntakeAsync();
        TypeValidIntake(cut);
        ContinueToConsent(cut);

        // Someone else books 10:30 (capacity 1) while this person reads the policy.
        var service = await H.ServiceAsync("Asesoría de créditos");
        await H.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(service.BranchId, service.Id,
            new DateTime(2026, 11, 25, 15, 30, 0, DateTimeKind.Utc), Channel.Web,
            new IntakeInput(DocumentType.CC, "99887766", "Otra Persona", "3109876543", "otra@example.com"), Guid.NewGuid(), DataPolicyAccepted: true));

        cut.Find("[data-consent=data]").Change(true);
        cut.Find("[data-action=book]").Click();
        cut.WaitForAssertion(() => Assert.Equal("slot", cut.Find(".book").GetAttribute("data-step")));
        Assert.Equal("Ese horario se acaba de ocupar. Por favor elija otro.", cut.Find("[data-testid=book-message]").TextContent);
        Assert.Empty(cut.FindAll("[data-slot='10:30']"));

        // What was typed is still there for the next slot.
        cut.Find("[data-slot='11:00']").Click();
        Assert.Equal("María Pérez", cut.WaitForElement("#book-fullName").GetAttribute("value"));
        ContinueToConsent(cut);
        cut.Find("[data-consent=data]").Change(true);
        cut.Find("[data-action=book]").Click();
        cut.WaitForElement("[data-testid=appointment-code]");
        await using var db = H.Db();
        Assert.Equal(2, await db.Appointments.CountAsync());
    }

    async Task<AppointmentView> BookDirectlyAsync(int hourUtc = 16)
    {
        var service = await H.ServiceAsync("Asesoría de créditos");
        return await H.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(service.BranchId, service.Id,
            new DateTime(2026, 11, 25, hourUtc, 0, 0, DateTimeKind.Utc), Channel.Web,
            new IntakeInput(DocumentType.CC, "52111222", "Ana Gómez", "3001112233", "ana@example.com"), Guid.NewGuid(), DataPolicyAccepted: true));
    }

    /// <summary>The page's steps and their posts run over HTTP (it has no circuit): Web/Appointments/ManageAppointmentPageTests.</summary>
    [Fact]
    public async Task Manage_page_shows_the_appointment_in_branch_time_with_its_steps_and_no_personal_data()
    {
        var booked = await BookDirectlyAsync();
        var cut = Render<ManageAppointment>(p => p.Add(x => x.Code, booked.Code.ToLowerInvariant()));
        cut.WaitForElement("[data-action=cancel]");
        Assert.Equal("Agendada", cut.Find("[data-testid=appointment-status]").TextContent);
        Assert.Contains("11:00 a. m.", Plain(cut.Find("[data-testid=appointment-when]").TextContent));
        Assert.DoesNotContain("Ana", cut.Markup);
        Assert.DoesNotContain("52111222", cut.Markup);
        // Each change opens its own step (a GET form): nothing changes before the person confirms it there.
        foreach (var (action, step) in new[] { ("cancel", "cancelar"), ("reschedule", "cambiar") })
        {
            var form = cut.Find($"[data-action={action}]").Closest("form")!;
            Assert.Equal("get", form.GetAttribute("method"));
            Assert.Equal($"cita/{booked.Code}", form.GetAttribute("action"));
            Assert.Equal(step, form.QuerySelector("input[name=paso]")!.GetAttribute("value"));
        }
        Assert.Equal($"cita/{booked.Code}/live", cut.Find("[data-live-src]").GetAttribute("data-live-src"));
    }

    [Fact]
    public async Task Manage_page_for_an_unknown_code_is_friendly()
    {
        var cut = Render<ManageAppointment>(p => p.Add(x => x.Code, "ZZZZZZZZ"));
        cut.WaitForElement("[data-testid=appointment-not-found]");
        Assert.Contains("No encontramos esa cita", cut.Markup);
    }

    [Fact]
    public async Task IntakeForm_renders_the_custom_choice_and_document_types()
    {
        var service = await H.ServiceAsync("Trámites y certificados");
        var fields = await H.Services.GetRequiredService<BookingCatalog>().GetIntakeFieldsAsync(service.Id);
        var model = new IntakeModel();
        var cut = Render<IntakeForm>(p => p.Add(x => x.Fields, fields).Add(x => x.Model, model)
            .Add(x => x.Errors, new Dictionary<string, string> { ["tramite"] = "Elija una opción válida para «Trámite»." }));

        Assert.Contains("Trámite", cut.Find("[data-field=tramite] legend").TextContent);
        Assert.Equal(["Certificado laboral", "Paz y salvo", "Actualización de datos"],
            cut.FindAll("[data-field=tramite] input[type=radio]").Select(r => r.GetAttribute("value")).ToList());
        Assert.Equal("alert", cut.Find("#intake-tramite-error").GetAttribute("role"));
        Assert.Contains("Cédula de ciudadanía (CC)", cut.Find("#intake-document-type").TextContent);
        Assert.Equal(8, cut.FindAll("#intake-document-type option").Count); // a prompt + 7 types
        Assert.Equal("tel", cut.Find("#intake-phone").GetAttribute("inputmode"));
        Assert.Equal("email", cut.Find("#intake-email").GetAttribute("type"));
        Assert.NotNull(cut.Find("label[for=intake-fullName]"));

        cut.FindAll("[data-field=tramite] input[type=radio]")[1].Change(true);
        Assert.Equal("Paz y salvo", model.ToInput().Custom!["tramite"]);
    }
}
