using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using TurnoDigital.Core.Devices;

namespace TurnoDigital.Web.Security;

/// <summary>Kiosks and display boards sign in as devices, with their own long-lived cookie limited to a branch and a screen.</summary>
public static class DeviceAuth
{
    public const string Scheme = "Device";
    public const string SmartScheme = "StaffOrDevice";
    public const string CookieName = ".TurnoDigital.Device";
    public const string KioskPolicy = "KioskDevice", DisplayPolicy = "DisplayDevice";
    public const string DeviceIdClaim = "device_id", BranchClaim = "device_branch", KindClaim = "device_kind", StampClaim = "device_stamp";

    public static ClaimsPrincipal Principal(Device d) => new(new ClaimsIdentity(
    [
        new Claim(DeviceIdClaim, d.Id.ToString()),
        new Claim(BranchClaim, d.BranchId.ToString()),
        new Claim(KindClaim, d.Kind.ToString()),
        new Claim(StampClaim, d.Stamp.ToString()),
        new Claim(ClaimTypes.Name, d.Name),
    ], Scheme));

    public static int? BranchId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(BranchClaim), out var id) ? id : null;

    public static int? DeviceId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(DeviceIdClaim), out var id) ? id : null;

    public static AuthenticationBuilder AddDeviceCookie(this AuthenticationBuilder auth) => auth
        .AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Browsers cap cookies at 400 days; sliding renewal keeps a board paired for years.
            o.ExpireTimeSpan = TimeSpan.FromDays(400);
            o.Cookie.MaxAge = TimeSpan.FromDays(400);
            o.SlidingExpiration = true;
            o.AccessDeniedPath = "/account/access-denied";
            o.Events.OnRedirectToLogin = ctx =>
            {
                var screen = ctx.Request.Path.StartsWithSegments("/display") ? "display" : "kiosk";
                ctx.Response.Redirect($"/pair/{screen}");
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = async ctx =>
            {
                var devices = ctx.HttpContext.RequestServices.GetRequiredService<DeviceService>();
                var id = ctx.Principal?.DeviceId();
                if (id is null || !Guid.TryParse(ctx.Principal!.FindFirstValue(StampClaim), out var stamp)
                    || !await devices.IsValidAsync(id.Value, stamp))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(Scheme);
                }
            };
        })
        // Blazor's circuit sees the default scheme's user: staff cookie first, else the device cookie.
        .AddPolicyScheme(SmartScheme, null, o => o.ForwardDefaultSelector = ctx =>
            !ctx.Request.Cookies.ContainsKey(StaffCookieName) && ctx.Request.Cookies.ContainsKey(CookieName)
                ? Scheme : IdentityConstants.ApplicationScheme);

    public const string StaffCookieName = ".TurnoDigital.Staff";
}
