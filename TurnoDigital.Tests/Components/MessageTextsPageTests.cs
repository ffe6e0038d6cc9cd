using System.Net;
using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Web.Components.Pages.Admin;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Components;

public class MessageTextsPageTests : ComponentTestBase
{
    async Task<string> SignInAsAdminAsync()
    {
        await using var db = H.Db();
        var admin = await db.Users.SingleAsync(u => u.Email == "admin@demo.turno");
        var auth = AddAuthorization();
        auth.SetAuthorized(admin.Email!);
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
        return admin.Id;
    }

    static string Text(IRenderedComponent<Messages> cut, string selector) => WebUtility.HtmlDecode(cut.Find(selector).TextContent);

    [Fact]
    public async Task Admin_edits_a_text_with_preview_and_spanish_validation_and_the_change_is_audited()
    {
        var adminId = await SignInAsAdminAsync();
        Services.AddSingleton(H.Services.GetRequiredService<MessageTexts>());
        var cut = Render<Messages>();
        await cut.WaitForAssertionAsync(() => Assert.Contains("Su cita quedó agendada", Text(cut, "[data-testid=message-preview]")));
        Assert.Contains("Código: K7M2Q9TX", Text(cut, "[data-testid=message-preview]")); // sample values, not placeholders
        Assert.Contains("{{1}} = {codigo}", Text(cut, "[data-testid=template-parameters]"));

        await cut.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("Llamado a ventanilla")).ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal("Es su turno: A-012, diríjase a Ventanilla 3.", Text(cut, "[data-testid=message-preview]")));

        await cut.Find("[data-testid=message-body]").InputAsync(new() { Value = "Turno {numero}: pase a {nombre}." });
        await cut.WaitForAssertionAsync(() => Assert.Contains("El marcador {nombre} no existe para este mensaje. Puede usar: {numero}, {ventanilla}.",
            WebUtility.HtmlDecode(cut.Markup)));
        Assert.True(cut.Find("[data-action=save-message]").HasAttribute("disabled"));
        Assert.Contains("Turno A-012: pase a {nombre}.", Text(cut, "[data-testid=message-preview]")); // unknown stays visible

        await cut.Find("[data-testid=message-template]").InputAsync(new() { Value = "Turno Llamado" });
        await cut.WaitForAssertionAsync(() => Assert.Contains("solo admite minúsculas sin tildes, números y guion bajo", WebUtility.HtmlDecode(cut.Markup)));

        await cut.Find("[data-testid=message-body]").InputAsync(new() { Value = "Turno {numero}: pase a {ventanilla}." });
        await cut.Find("[data-testid=message-template]").InputAsync(new() { Value = "turno_llamado_v2" });
        await cut.WaitForAssertionAsync(() => Assert.False(cut.Find("[data-action=save-message]").HasAttribute("disabled")));
        await cut.Find("[data-action=save-message]").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains("Personalizado",
            cut.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("Llamado a ventanilla")).TextContent));
        var saved = await H.Services.GetRequiredService<MessageTexts>().GetAsync(MessageKind.TicketCalled);
        Assert.Equal(("Turno {numero}: pase a {ventanilla}.", "turno_llamado_v2", "es", false), (saved.Body, saved.TemplateName, saved.TemplateLanguage, saved.IsDefault));
        await using var db = H.Db();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.MessageTextUpdated);
        Assert.Equal((adminId, "TicketCalled"), (entry.ActorId, entry.EntityId));
    }
}
