using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Web.Components.Pages.Admin.Components;

namespace TurnoDigital.Tests.Components;

/// <summary>The service dialog's number fields are bound one by one: each edits its own setting and shows its own error.</summary>
public class ServiceDialogTests : ComponentTestBase
{
    async Task<(IRenderedComponent<MudDialogProvider> Provider, ServiceSettings Settings)> OpenAsync(string service = "Caja")
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@demo.turno");
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin-1"));
        ServiceSettings settings;
        await using (var db = H.Db())
            settings = ServiceSettings.From(await db.Services.AsNoTracking().FirstAsync(s => s.Name == service));
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ServiceDialog>("Caja", new DialogParameters<ServiceDialog> { { d => d.Settings, settings } }));
        provider.WaitForElement("[data-action=save-service]");
        return (provider, settings);
    }

    static AngleSharp.Dom.IElement Field(IRenderedComponent<MudDialogProvider> provider, string label) =>
        provider.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    [Fact]
    public async Task Number_fields_edit_their_own_setting_and_are_saved()
    {
        var (provider, settings) = await OpenAsync();
        var (slot, cap) = (settings.SlotMinutes, settings.RemoteTicketCap);
        Field(provider, "Espera objetivo (min)").QuerySelector("input")!.Change("37");
        Field(provider, "Conserva su lugar si llega en (min, 0–480)").QuerySelector("input")!.Change("45");
        Assert.Equal((37, 45), (settings.TargetWaitMinutes, settings.RemoteFairnessMinutes));
        Assert.Equal((slot, cap), (settings.SlotMinutes, settings.RemoteTicketCap)); // the others are untouched

        await provider.Find("[data-action=save-service]").ClickAsync(new());
        await provider.WaitForAssertionAsync(() => Assert.Empty(provider.FindAll("[data-action=save-service]")));
        await using var db = H.Db();
        var saved = await db.Services.AsNoTracking().SingleAsync(s => s.Id == settings.Id);
        Assert.Equal((37, 45, slot), (saved.TargetWaitMinutes, saved.RemoteFairnessMinutes, saved.SlotMinutes));
    }

    [Fact]
    public async Task An_out_of_range_value_shows_its_message_on_that_field_and_nothing_is_saved()
    {
        var (provider, settings) = await OpenAsync();
        Field(provider, "Duración de la cita (min)").QuerySelector("input")!.Change("1");
        await provider.Find("[data-action=save-service]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Contains("La duración de la cita (minutos) debe estar entre 5 y 240.", Field(provider, "Duración de la cita (min)").TextContent));
        Assert.DoesNotContain("debe estar entre", Field(provider, "Espera objetivo (min)").TextContent);
        await using var db = H.Db();
        Assert.NotEqual(1, (await db.Services.AsNoTracking().SingleAsync(s => s.Id == settings.Id)).SlotMinutes);
    }

    [Fact]
    public async Task A_longer_slot_first_lists_the_affected_bookings_and_cancelling_them_is_the_admins_choice()
    {
        var bookings = H.Services.GetRequiredService<TurnoDigital.Core.Appointments.BookingService>();
        var asesoria = await H.ServiceAsync("Asesoría de créditos");
        var start = new DateTime(2026, 11, 27, 14, 30, 0, DateTimeKind.Utc); // 09:30 in Bogotá: off a 45-minute grid from 07:00
        var booked = await bookings.BookAsync(new TurnoDigital.Core.Appointments.BookingRequest(asesoria.BranchId, asesoria.Id, start, TurnoDigital.Core.Common.Channel.Web,
            new TurnoDigital.Core.Appointments.IntakeInput(TurnoDigital.Core.Customers.DocumentType.CC, "111111", "María Pérez", "3001111111", "m@example.co"),
            Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: false));
        var (provider, _) = await OpenAsync("Asesoría de créditos");
        Field(provider, "Duración de la cita (min)").QuerySelector("input")!.Change("45");

        // The save waits for the admin's answer in the second dialog: its click completes only after "apply".
        var saving = provider.Find("[data-action=save-service]").ClickAsync(new());
        var row = provider.WaitForElement("[data-testid=affected-row]");
        Assert.Contains(booked.Code, row.TextContent);
        Assert.Contains("Lista para llamar", row.TextContent);
        await using (var db = H.Db())
            Assert.Equal(30, (await db.Services.AsNoTracking().SingleAsync(s => s.Id == asesoria.Id)).SlotMinutes); // nothing saved yet

        await provider.FindAll("input[type=radio]")[1].ClickAsync(new()); // the second choice: cancel them
        await provider.Find("[data-action=apply-decision]").ClickAsync(new());
        await saving;
        await provider.WaitForAssertionAsync(() => Assert.Empty(provider.FindAll("[data-action=save-service]")));
        await using var check = H.Db();
        Assert.Equal(45, (await check.Services.AsNoTracking().SingleAsync(s => s.Id == asesoria.Id)).SlotMinutes);
        Assert.True((await check.Appointments.AsNoTracking().SingleAsync(a => a.Id == booked.Id)).CancelledByBranch);
    }
}
