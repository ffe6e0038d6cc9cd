using System.Text.Json.Nodes;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>The Cloud API's JSON for one outbound message: text, reply buttons, list, or the kind's template.</summary>
public static class GraphMessages
{
    public static JsonObject Build(string to, OutgoingContent c, MessageText? template)
    {
        var message = new JsonObject { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = to };
        if (template is not null)
        {
            message["type"] = "template";
            message["template"] = Template(c, template);
        }
        else if (c.Buttons is { Count: > 0 } buttons)
        {
            message["type"] = "interactive";
            message["interactive"] = new JsonObject
            {
                ["type"] = "button",
                ["body"] = new JsonObject { ["text"] = Cut(c.Text, OutgoingContent.BodyMax) },
                ["action"] = new JsonObject
                {
                    ["buttons"] = new JsonArray(buttons.Take(OutgoingContent.MaxButtons).Select(b => (JsonNode)new JsonObject
                    {
                        ["type"] = "reply",
                        ["reply"] = new JsonObject { ["id"] = b.Id, ["title"] = Cut(b.Title, OutgoingContent.ButtonTitleMax) },
                    }).ToArray()),
                },
            };
        }
        else if (c.Rows is { Count: > 0 } rows)
        {
            message["type"] = "interactive";
            message["interactive"] = new JsonObject
            {
                ["type"] = "list",
                ["body"] = new JsonObject { ["text"] = Cut(c.Text, OutgoingContent.BodyMax) },
                ["action"] = new JsonObject
                {
                    ["button"] = Cut(c.ListButton ?? "Ver opciones", OutgoingContent.ButtonTitleMax),
                    ["sections"] = new JsonArray(new JsonObject
                    {
                        ["title"] = "Opciones",
                        ["rows"] = new JsonArray(rows.Take(OutgoingContent.MaxRows).Select(Row).ToArray()),
                    }),
                },
            };
        }
        else
        {
            message["type"] = "text";
            message["text"] = new JsonObject { ["preview_url"] = false, ["body"] = Cut(c.Text, 4096) };
        }
        return message;
    }

    static JsonNode Row(Choice r)
    {
        var row = new JsonObject { ["id"] = r.Id, ["title"] = Cut(r.Title, OutgoingContent.RowTitleMax) };
        if (!string.IsNullOrEmpty(r.Description)) row["description"] = Cut(r.Description, OutgoingContent.RowDescriptionMax);
        return row;
    }

    // Body parameters in order; the template's quick-reply buttons carry our button ids as payloads.
    static JsonObject Template(OutgoingContent c, MessageText t)
    {
        var components = new JsonArray();
        if (c.TemplateParameters is { Count: > 0 } ps)
            components.Add(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(ps.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p }).ToArray()),
            });
        foreach (var (button, i) in (c.Buttons ?? []).Take(OutgoingContent.MaxButtons).Select((b, i) => (b, i)))
            components.Add(new JsonObject
            {
                ["type"] = "button", ["sub_type"] = "quick_reply", ["index"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "payload", ["payload"] = button.Id }),
            });
        var template = new JsonObject { ["name"] = t.TemplateName, ["language"] = new JsonObject { ["code"] = t.TemplateLanguage } };
        if (components.Count > 0) template["components"] = components;
        return template;
    }

    static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
