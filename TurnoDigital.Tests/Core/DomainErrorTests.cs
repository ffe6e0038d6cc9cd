using System.Globalization;
using TurnoDigital.Core.Common;

namespace TurnoDigital.Tests.Core;

public class DomainErrorTests
{
    static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es-CO"), English = CultureInfo.GetCultureInfo("en");

    [Fact]
    public void A_domain_error_is_a_code_with_a_spanish_default_and_an_english_text()
    {
        var ex = new StaleStateException("Ticket.ChangedMeanwhile", "A-007");
        Assert.Equal("Ticket.ChangedMeanwhile", ex.Code);
        Assert.Equal("El turno A-007 cambió mientras tanto; la pantalla se actualizó.", ex.MessageFor(Spanish));
        Assert.Equal("Ticket A-007 changed in the meantime; the screen was refreshed.", ex.MessageFor(English));
    }

    [Fact]
    public void Message_follows_the_current_ui_culture()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            var ex = new DomainException("Branch.NotFound");
            CultureInfo.CurrentUICulture = Spanish;
            Assert.Equal("La sede no existe.", ex.Message);
            CultureInfo.CurrentUICulture = English;
            Assert.Equal("The branch does not exist.", ex.Message);
        }
        finally { CultureInfo.CurrentUICulture = before; }
    }
}
