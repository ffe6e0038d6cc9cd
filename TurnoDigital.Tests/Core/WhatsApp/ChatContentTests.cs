using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Conversation;

namespace TurnoDigital.Tests.Core.WhatsApp;

public class ChatContentTests
{
    [Fact]
    public void Lists_keep_ten_rows_with_short_titles_and_unique_ids()
    {
        var rows = Enumerable.Range(1, 12).Select(i => new Choice($"row:{i}", $"Una opción con un título muy largo número {i}", new string('d', 100)))
            .Prepend(new Choice("row:1", "duplicada")).ToList();
        var list = ChatContent.List(new string('x', 2000), "Un botón demasiado largo", rows);
        Assert.Equal(10, list.Rows!.Count);
        Assert.Equal(10, list.Rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal("duplicada", list.Rows[0].Title);
        Assert.All(list.Rows, r => Assert.True(r.Title.Length <= OutgoingContent.RowTitleMax));
        Assert.All(list.Rows.Skip(1), r => Assert.Equal(OutgoingContent.RowDescriptionMax, r.Description!.Length));
        Assert.Equal("Una opción con un títul…", list.Rows[1].Title);
        Assert.Equal(OutgoingContent.BodyMax, list.Text.Length);
        Assert.True(list.ListButton!.Length <= 20);
        Assert.Null(list.Buttons);
    }

    [Fact]
    public void Buttons_keep_three_with_titles_of_twenty_and_no_description()
    {
        var buttons = ChatContent.Buttons("¿Confirma?", [new("a", "Confirmar mi cita ahora mismo", "x"), new("b", "No"), new("c", ""), new("d", "Cuarto")]);
        Assert.Equal(["a", "b", "c"], buttons.Buttons!.Select(b => b.Id));
        Assert.Equal("Confirmar mi cita a…", buttons.Buttons![0].Title);
        Assert.Equal("Opción 3", buttons.Buttons[2].Title);
        Assert.All(buttons.Buttons, b => Assert.Null(b.Description));
    }

    [Fact]
    public void Fit_never_splits_an_emoji_or_an_accent()
    {
        var text = "Atención 👍👍👍👍";
        var fitted = ChatContent.Fit(text, 12);
        Assert.True(fitted.Length <= 12);
        Assert.Equal("Atención 👍…", fitted);
        Assert.Equal("Camión", ChatContent.Fit("Camión", 6));
        Assert.Equal("Cami…", ChatContent.Fit("Camio\u0301n!", 6)); // "ó" as o + combining accent stays whole or goes whole
    }
}
