using TurnoDigital.Core.Customers;
using Xunit;

namespace TurnoDigital.Tests.Core.Customers;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("3001234567", "+573001234567")]
    [InlineData("300 123 4567", "+573001234567")]
    [InlineData("+57 300-123-4567", "+573001234567")]
    [InlineData("+573001234567", "+573001234567")]
    public void Parses_mobiles_to_E164(string input, string expected)
    {
        Assert.True(PhoneNumber.TryParse(input, out var phone));
        Assert.Equal(expected, phone.Value);
        Assert.Equal(expected, phone.ToString());
        Assert.Equal(expected, PhoneNumber.Parse(input).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345")]
    [InlineData("6011234567")] // a Bogotá landline, not a mobile
    [InlineData("abc")]
    [InlineData("3001234567890123456789012345678901")]
    public void Rejects_what_is_not_a_mobile(string? input)
    {
        Assert.False(PhoneNumber.TryParse(input, out var phone));
        Assert.Null(phone);
        Assert.Null(PhoneNumber.ParseOrNull(input));
        Assert.Throws<FormatException>(() => PhoneNumber.Parse(input));
    }

    [Fact]
    public void Equal_by_value()
    {
        Assert.Equal(PhoneNumber.Parse("300 123 4567"), PhoneNumber.Parse("+573001234567"));
        Assert.True(PhoneNumber.Parse("3001234567") == PhoneNumber.Parse("+57 3001234567"));
        Assert.NotEqual(PhoneNumber.Parse("3001234567"), PhoneNumber.Parse("3001234568"));
    }
}

public class EmailAddressTests
{
    [Theory]
    [InlineData("ana@example.com", "ana@example.com")]
    [InlineData("  Ana.Perez@Example.COM ", "ana.perez@example.com")]
    [InlineData("a+b@mail.example.co", "a+b@mail.example.co")]
    public void Parses_and_normalises(string input, string expected)
    {
        Assert.True(EmailAddress.TryParse(input, out var email));
        Assert.Equal(expected, email.Value);
        Assert.Equal(expected, email.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ana")]
    [InlineData("ana@")]
    [InlineData("@example.com")]
    [InlineData("ana@localhost")]
    [InlineData("ana @example.com")]
    [InlineData("Ana <ana@example.com>")]
    [InlineData("ana@example.com.")]
    public void Rejects_what_is_not_a_plain_address(string? input)
    {
        Assert.False(EmailAddress.TryParse(input, out var email));
        Assert.Null(email);
        Assert.Throws<FormatException>(() => EmailAddress.Parse(input));
    }

    [Fact]
    public void Rejects_overlong_addresses() =>
        Assert.Null(EmailAddress.ParseOrNull(new string('a', EmailAddress.MaxLength) + "@example.com"));

    [Fact]
    public void Equal_ignoring_case() =>
        Assert.Equal(EmailAddress.Parse("ANA@example.com"), EmailAddress.Parse("ana@EXAMPLE.com"));
}

public class DocumentIdTests
{
    [Theory]
    [InlineData(DocumentType.CC, "1.020.304.050", "1020304050")]
    [InlineData(DocumentType.CC, " 1020 304-050 ", "1020304050")]
    [InlineData(DocumentType.PA, "ab-123 456", "AB123456")]
    [InlineData(DocumentType.CE, "e1234", "E1234")]
    [InlineData(DocumentType.TI, "123", "123")]
    public void Normalises_the_number(DocumentType type, string input, string expected)
    {
        Assert.True(DocumentId.TryCreate(type, input, out var document));
        Assert.Equal((type, expected), (document.Type, document.Number));
        Assert.Equal(expected, DocumentId.Normalize(type, input));
    }

    [Theory]
    [InlineData(DocumentType.CC, null)]
    [InlineData(DocumentType.CC, "12")]
    [InlineData(DocumentType.CC, "12AB45")]
    [InlineData(DocumentType.CC, "1234567890123456")]
    [InlineData(DocumentType.PA, "AB1")]
    [InlineData(DocumentType.PA, "AB12345678901234567890")]
    [InlineData(DocumentType.PPT, "AB/1234")]
    public void Rejects_invalid_numbers(DocumentType type, string? input)
    {
        Assert.False(DocumentId.TryCreate(type, input, out var document));
        Assert.Null(document);
        Assert.Throws<FormatException>(() => DocumentId.Create(type, input));
    }

    [Fact]
    public void Equal_by_type_and_number()
    {
        Assert.Equal(DocumentId.Create(DocumentType.CC, "1.020.304.050"), DocumentId.Create(DocumentType.CC, "1020304050"));
        Assert.NotEqual(DocumentId.Create(DocumentType.CC, "1020304050"), DocumentId.Create(DocumentType.TI, "1020304050"));
    }
}
