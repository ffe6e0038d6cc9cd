using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TurnoDigital.Core.Devices;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Tests.Web;

/// <summary>Who is signed in is read one way: the staff user's id, never a device's.</summary>
public class CurrentUserTests
{
    [Fact]
    public async Task The_user_id_is_the_name_identifier_and_devices_and_anonymous_users_have_none()
    {
        var staff = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "user-42"), new Claim(ClaimTypes.Name, "ana@demo.turno")], "test"));
        Assert.Equal("user-42", staff.UserId());
        Assert.Equal("user-42", await Task.FromResult(new AuthenticationState(staff)).IdAsync());

        Assert.Null(new ClaimsPrincipal().UserId());
        Assert.Null(DeviceAuth.Principal(new Device { Id = 3, Name = "Kiosco 1", BranchId = 1 }).UserId());
        Assert.Null(await ((Task<AuthenticationState>?)null).IdAsync());
    }
}
