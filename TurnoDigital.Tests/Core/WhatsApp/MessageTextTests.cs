using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core.WhatsApp;

public class MessageTextTests
{
    static readonly Dictionary<string, string> Values = new() { ["numero"] = "A-012", ["ventanilla"] = "Ventanilla 3" };

    [Fact]
    public void Every_editable_kind_has_a_valid_default_text_and_template_name()
    {
        Assert.DoesNotContain(MessageKind.Reply, MessageTextDefaults.EditableKinds);
        Assert.Equal(Enum.GetValues<MessageKind>().Length - 1, MessageTextDefaults.EditableKinds.Count);
        foreach (var kind in MessageTextDefaults.EditableKinds)
        {
            var d = MessageTextView.Default(kind);
            Assert.True(d.Body.Length is > 0 and <= MessageText.BodyMax, kind.ToString());
            Assert.Empty(MessageTexts.Validate(kind, d.Body, d.TemplateName, d.TemplateLanguage));
            // Every placeholder the kind offers is used by its default text (the template's parameters match the text).
            Assert.Equal(MessageTextDefaults.PlaceholdersOf(kind).Order(), MessageTexts.PlaceholdersIn(d.Body).Order());
        }
        Assert.Equal("turno_ticket_called", MessageTextDefaults.TemplateName(MessageKind.TicketCalled));
    }

    [Fact]
    public void Rendering_fills_known_placeholders_and_leaves_unknown_ones_visible()
    {
        Assert.Equal("Es su turno: A-012, diríjase a Ventanilla 3.", MessageTexts.Render(MessageTextDefaults.Body(MessageKind.TicketCalled), Values));
        Assert.Equal("Turno A-012 {nombre} {numero", MessageTexts.Render("Turno {numero} {nombre} {numero", Values));
    }

    [Fact]
    public void Template_parameters_follow_the_kinds_fixed_order_whatever_the_text_says()
    {
        var text = new MessageTextView(MessageKind.TicketCalled, "{ventanilla} llama al {numero}", "turno_llamado", "es", false);
        var content = MessageTexts.Compose(text, new Dictionary<string, string> { ["numero"] = "A-012", ["ventanilla"] = "Ventanilla 3" });
        Assert.Equal("Ventanilla 3 llama al A-012", content.Text);
        Assert.Equal(["A-012", "Ventanilla 3"], content.TemplateParameters);
        // A value the cause could not give: Meta refuses empty parameters.
        var near = MessageTexts.Compose(MessageTextView.Default(MessageKind.TurnNear), new Dictionary<string, string> { ["numero"] = "A-012", ["personas"] = "" });
        Assert.Equal(["A-012", "-", "-", "-", "-"], near.TemplateParameters);
    }

    [Theory]
    [InlineData("Su turno {numero}, pase a {nombre}.", "turno_llamado", "es", "body", "El marcador {nombre} no existe para este mensaje. Puede usar: {numero}, {ventanilla}.")]
    [InlineData("Su turno {numero} en {sede} {x}", "turno_llamado", "es", "body", "Los marcadores {sede}, {x} no existen")]
    [InlineData("Turno { numero }", "turno_llamado", "es", "body", "El marcador { numero } no existe")]
    [InlineData("Turno {numero", "turno_llamado", "es", "body", "llave")]
    [InlineData("   ", "turno_llamado", "es", "body", "Escriba el texto del mensaje.")]
    [InlineData("Es su turno {numero}", "Turno-Llamado", "es", "template", "minúsculas sin tildes, números y guion bajo")]
    [InlineData("Es su turno {numero}", "turno_llamadó", "es", "template", "minúsculas")]
    [InlineData("Es su turno {numero}", "", "es", "template", "Escriba el nombre de la plantilla")]
    [InlineData("Es su turno {numero}", "turno_llamado", "español", "language", "es, es_CO o en_US")]
    [InlineData("Es su turno {numero}", "turno_llamado", "", "language", "Escriba el idioma")]
    public void Validation_explains_what_is_wrong_in_spanish(string body, string template, string language, string field, string message)
    {
        var errors = MessageTexts.Validate(MessageKind.TicketCalled, body, template, language);
        Assert.Single(errors);
        Assert.Contains(message, errors[field]);
    }

    [Fact]
    public void Validation_limits_length_and_accepts_regional_languages()
    {
        var errors = MessageTexts.Validate(MessageKind.TicketCalled, new string('a', MessageText.BodyMax + 1), "turno_llamado", "es_CO");
        Assert.Equal(["body"], errors.Keys);
        Assert.Contains("máximo 1000 caracteres", errors["body"]);
        Assert.Empty(MessageTexts.Validate(MessageKind.OptOutConfirmation, "Listo, no le escribiremos más.", "turno_baja_2", "es_CO"));
        Assert.Contains("no admite marcadores", MessageTexts.Validate(MessageKind.OptOutConfirmation, "Listo {numero}", "turno_baja", "es")["body"]);
        Assert.True(MessageTexts.Validate(MessageKind.Reply, "Hola", "turno_reply", "es").ContainsKey("kind"));
    }

    [Fact]
    public async Task An_admin_edit_is_audited_and_used_by_the_next_message_without_restart()
    {
        await using var h = await CoreHarness.CreateAsync();
        var texts = h.Services.GetRequiredService<MessageTexts>();
        await Assert.ThrowsAsync<MessageTextValidationException>(() => texts.SaveAsync(MessageKind.TicketCalled, "Pase {nombre}", "turno_llamado", "es", "admin-1"));

        await texts.SaveAsync(MessageKind.TicketCalled, "  {numero}: acérquese a {ventanilla}.  ", "turno_llamado_v2", "es_CO", "admin-1");
        Assert.Equal(new MessageTextView(MessageKind.TicketCalled, "{numero}: acérquese a {ventanilla}.", "turno_llamado_v2", "es_CO", false),
            await texts.GetAsync(MessageKind.TicketCalled));

        var caja = await h.ServiceAsync("Caja");
        await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3001234567", WhatsAppConsent: true));
        await h.Queue.CallNextAsync((await h.CounterAsync("Ventanilla 1")).Id, "agent-1");

        await using (var db = h.Db())
        {
            var called = await db.Outbox.SingleAsync(m => m.Kind == MessageKind.TicketCalled);
            Assert.Equal("A-001: acérquese a Ventanilla 1.", Outbox.Deserialize(called.Content).Text);
            var audit = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.MessageTextUpdated);
            Assert.Equal(("admin-1", "MessageText", "TicketCalled"), (audit.ActorId, audit.Entity, audit.EntityId));
            Assert.Contains("turno_llamado_v2", audit.Details);
        }

        await texts.ResetAsync(MessageKind.TicketCalled, "admin-1");
        Assert.True((await texts.GetAsync(MessageKind.TicketCalled)).IsDefault);
        Assert.Equal(MessageTextDefaults.EditableKinds, (await texts.AllAsync()).Select(t => t.Kind));
        await using (var db = h.Db())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.MessageTextReset));
    }
}
