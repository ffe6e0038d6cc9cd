using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Demo;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Tests.Core;

public class IntakeValidatorTests
{
    static readonly List<IntakeField> Fields = [.. DemoSeeder.StandardIntake(emailRequired: false),
        new IntakeField { Key = "tramite", Kind = IntakeFieldKind.Choice, Label = "Trámite", Required = true, Order = 5, Options = "Paz y salvo|Certificado laboral" },
        new IntakeField { Key = "radicado", Kind = IntakeFieldKind.Number, Label = "Radicado", Required = false, Order = 6, MaxLength = 10 }];

    static IntakeInput Valid => new(DocumentType.CC, "1.020.304.050", "  María   José Pérez-Gómez ", "300 123 4567", null,
        new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });

    [Fact]
    public void Valid_input_is_normalised()
    {
        var v = IntakeValidator.Validate(Fields, Valid);
        Assert.Equal(("1020304050", "María José Pérez-Gómez", "+573001234567"), (v.Document?.Number, v.FullName, v.Phone?.Value));
        Assert.Null(v.Email);
        Assert.Equal("Paz y salvo", v.Custom["tramite"]);
    }

    public static TheoryData<IntakeInput, string, string> Invalid => new()
    {
        { Valid with { DocumentNumber = null, DocumentType = null }, "document", "tipo y el número" },
        { Valid with { DocumentNumber = "12AB" }, "document", "solo números" },
        { Valid with { DocumentType = DocumentType.PA, DocumentNumber = "A1" }, "document", "4 a 20" },
        { Valid with { FullName = "<script>alert(1)</script>" }, "fullName", "solo puede tener letras" },
        { Valid with { FullName = "" }, "fullName", "nombre completo" },
        { Valid with { Phone = "601 234 5678" }, "phone", "celular no es válido" },
        { Valid with { Email = "maria@" }, "email", "correo" },
        { Valid with { Custom = new Dictionary<string, string?> { ["tramite"] = "Otro" } }, "tramite", "opción válida" },
        { Valid with { Custom = new Dictionary<string, string?> { ["tramite"] = "Paz y salvo", ["radicado"] = "12a" } }, "radicado", "solo admite números" },
        { Valid with { FullName = new string('a', 5000) }, "fullName", "3 a 120" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_bad_field_gets_its_own_Spanish_message(IntakeInput input, string key, string message)
    {
        var ex = Assert.Throws<IntakeValidationException>(() => IntakeValidator.Validate(Fields, input));
        Assert.Contains(message, ex.Errors[key]);
    }

    [Fact]
    public void Optional_fields_may_be_empty_and_control_characters_are_dropped()
    {
        var v = IntakeValidator.Validate(Fields, Valid with { FullName = "Ana\u0000 Ruiz\u0007" });
        Assert.Equal("Ana Ruiz", v.FullName);
    }
}
