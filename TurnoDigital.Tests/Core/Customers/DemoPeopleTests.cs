using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Demo;

namespace TurnoDigital.Tests.Core.Customers;

/// <summary>Issue 18: demo people come from one reserved block that still passes the app's own validation.</summary>
public class DemoPeopleTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4321)]
    [InlineData(DemoPeople.Count - 1)]
    public void Demo_phones_are_valid_Colombian_mobiles_in_the_reserved_block_and_documents_and_names_look_fake(int i)
    {
        var phone = PhoneNumber.ParseOrNull(DemoPeople.Phone(i));
        Assert.NotNull(phone); // libphonenumber accepts it, so every channel's validation does
        Assert.StartsWith("+57300555", phone!.Value);
        Assert.True(DemoPeople.IsDemoPhone(phone!.Value));
        Assert.True(DemoPeople.IsDemoPhone(phone!.Value.TrimStart('+')));
        Assert.True(DemoPeople.IsDemoDocument(DemoPeople.Document(i)));
        Assert.Contains(" Demo ", DemoPeople.Name(i));
    }

    [Theory]
    [InlineData("+573001112233")]
    [InlineData("573005551234567")]
    [InlineData("+573105550123")]
    [InlineData(null)]
    public void Other_numbers_are_not_demo_numbers(string? phone) => Assert.False(DemoPeople.IsDemoPhone(phone));

    [Fact]
    public void The_featured_person_is_person_one() => Assert.Equal(DemoPeople.FeaturedDocument, DemoPeople.Document(1));
}
