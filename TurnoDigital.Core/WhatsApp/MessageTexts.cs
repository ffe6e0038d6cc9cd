using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp;

/// <summary>The text in force for one kind: the admin's row or the default.</summary>
public sealed record MessageTextView(MessageKind Kind, string Body, string TemplateName, string TemplateLanguage, bool IsDefault)
{
    public IReadOnlyList<string> Placeholders => MessageTextDefaults.PlaceholdersOf(Kind);

    public static MessageTextView Default(MessageKind kind) =>
        new(kind, MessageTextDefaults.Body(kind), MessageTextDefaults.TemplateName(kind), MessageTextDefaults.TemplateLanguage, true);

    public static MessageTextView From(MessageText row) => new(row.Kind, row.Body, row.TemplateName, row.TemplateLanguage, false);
}

/// <summary>Thrown with one Spanish message per invalid field ("body", "template", "language").</summary>
public sealed class MessageTextValidationException(IReadOnlyDictionary<string, string> errors)
    : DomainException("Validation.Errors", string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}

/// <summary>
/// Message texts per kind: read (admin row or default; the notifications read them from the configuration cache, which an edit
/// drops on every node),
/// rendered with named placeholders, validated and saved by the admin.
/// </summary>
public sealed partial class MessageTexts(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock)
{
    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex TemplateNamePattern();

    /// <summary>Meta's language codes: "es", "es_CO", "en_US"…</summary>
    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex LanguagePattern();

    public async Task<MessageTextView> GetAsync(MessageKind kind, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetAsync(db, kind, ct);
    }

    /// <summary>With the caller's context, so a notification composed inside a save reads the text in the same transaction.</summary>
    public static async Task<MessageTextView> GetAsync(TurnoDbContext db, MessageKind kind, CancellationToken ct = default)
    {
        var row = await db.MessageTexts.AsNoTracking().FirstOrDefaultAsync(m => m.Kind == kind, ct);
        return row is null ? MessageTextView.Default(kind) : MessageTextView.From(row);
    }

    /// <summary>From the configuration cache (an admin's save drops it): what a notification composed inside a save uses.</summary>
    public static MessageTextView Get(Organization.OrganizationCache.Snapshot config, MessageKind kind) =>
        config.MessageTexts.TryGetValue(kind, out var row) ? MessageTextView.From(row) : MessageTextView.Default(kind);

    public async Task<IReadOnlyList<MessageTextView>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.MessageTexts.AsNoTracking().ToDictionaryAsync(m => m.Kind, ct);
        return MessageTextDefaults.EditableKinds.Select(k => rows.TryGetValue(k, out var r) ? MessageTextView.From(r) : MessageTextView.Default(k)).ToList();
    }

    /// <summary>
    /// Replaces each known placeholder with its value. An unknown placeholder stays visible as typed ("{xyz}"):
    /// saving rejects them, so only an old row could hold one, and a visible mistake beats a silent gap.
    /// </summary>
    public static string Render(string body, IReadOnlyDictionary<string, string> values)
    {
        var text = PlaceholderPattern().Replace(body, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
        return text.Length > OutgoingContent.BodyMax ? text[..OutgoingContent.BodyMax] : text;
    }

    /// <summary>The template's parameters in the kind's fixed order; Meta refuses empty parameters, so a missing value is "-".</summary>
    public static IReadOnlyList<string> TemplateParameters(MessageKind kind, IReadOnlyDictionary<string, string> values) =>
        MessageTextDefaults.PlaceholdersOf(kind).Select(p => values.TryGetValue(p, out var v) && !string.IsNullOrWhiteSpace(v) ? v : "-").ToList();

    /// <summary>Text, template parameters and the given buttons or list rows for one outbound message.</summary>
    public static OutgoingContent Compose(MessageTextView text, IReadOnlyDictionary<string, string> values,
        IReadOnlyList<Choice>? buttons = null, IReadOnlyList<Choice>? rows = null, string? listButton = null) =>
        new(Render(text.Body, values), buttons, rows, listButton, TemplateParameters(text.Kind, values));

    /// <summary>Placeholders used in a body, in order of appearance (duplicates removed).</summary>
    public static IReadOnlyList<string> PlaceholdersIn(string body) =>
        PlaceholderPattern().Matches(body).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>Spanish messages per field; empty when the text can be saved.</summary>
    public static IReadOnlyDictionary<string, string> Validate(MessageKind kind, string? body, string? templateName, string? language)
    {
        var errors = new Dictionary<string, string>();
        if (kind == MessageKind.Reply || !MessageTextDefaults.EditableKinds.Contains(kind))
            errors["kind"] = "Ese tipo de mensaje no se puede editar.";
        body = body?.Trim() ?? "";
        var allowed = MessageTextDefaults.PlaceholdersOf(kind);
        if (body.Length == 0) errors["body"] = "Escriba el texto del mensaje.";
        else if (body.Length > MessageText.BodyMax) errors["body"] = $"El texto admite máximo {MessageText.BodyMax} caracteres (tiene {body.Length}).";
        else if (PlaceholdersIn(body).Where(p => !allowed.Contains(p)).ToList() is { Count: > 0 } unknown)
            errors["body"] = (unknown.Count == 1 ? $"El marcador {{{unknown[0]}}} no existe" : $"Los marcadores {string.Join(", ", unknown.Select(u => "{" + u + "}"))} no existen")
                + " para este mensaje. " + (allowed.Count == 0 ? "Este mensaje no admite marcadores." : "Puede usar: " + string.Join(", ", allowed.Select(a => "{" + a + "}")) + ".");
        else if (body.Count(c => c == '{') != body.Count(c => c == '}'))
            errors["body"] = "Hay una llave { o } sin cerrar. Los marcadores se escriben así: {numero}.";

        templateName = templateName?.Trim() ?? "";
        if (templateName.Length == 0) errors["template"] = "Escriba el nombre de la plantilla de WhatsApp.";
        else if (templateName.Length > MessageText.TemplateMax) errors["template"] = $"El nombre de la plantilla admite máximo {MessageText.TemplateMax} caracteres.";
        else if (!TemplateNamePattern().IsMatch(templateName))
            errors["template"] = "El nombre de la plantilla solo admite minúsculas sin tildes, números y guion bajo (_), como en Meta: turno_llamado.";

        language = language?.Trim() ?? "";
        if (language.Length == 0) errors["language"] = "Escriba el idioma de la plantilla, por ejemplo es o es_CO.";
        else if (language.Length > MessageText.LanguageMax || !LanguagePattern().IsMatch(language))
            errors["language"] = "El idioma de la plantilla debe ser un código de Meta como es, es_CO o en_US.";
        return errors;
    }

    /// <summary>Validates, stores and audits the admin's text; the next message of that kind uses it.</summary>
    public async Task SaveAsync(MessageKind kind, string? body, string? templateName, string? language, string? actorId = null, CancellationToken ct = default)
    {
        var errors = Validate(kind, body, templateName, language);
        if (errors.Count > 0) throw new MessageTextValidationException(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.MessageTexts.FirstOrDefaultAsync(m => m.Kind == kind, ct);
        var before = row is null ? MessageTextView.Default(kind) : MessageTextView.From(row);
        if (row is null) db.MessageTexts.Add(row = new MessageText { Kind = kind });
        (row.Body, row.TemplateName, row.TemplateLanguage) = (body!.Trim(), templateName!.Trim(), language!.Trim());
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, null, AuditActions.MessageTextUpdated, "MessageText", kind, null, new
        {
            before = new { before.Body, before.TemplateName, before.TemplateLanguage },
            after = new { row.Body, row.TemplateName, row.TemplateLanguage },
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Back to the default text (the admin's row is removed); audited.</summary>
    public async Task ResetAsync(MessageKind kind, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.MessageTexts.FirstOrDefaultAsync(m => m.Kind == kind, ct);
        if (row is null) return;
        db.MessageTexts.Remove(row);
        AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, actorId, null, AuditActions.MessageTextReset, "MessageText", kind, null,
            new { before = new { row.Body, row.TemplateName, row.TemplateLanguage } });
        await db.SaveChangesAsync(ct);
    }
}
