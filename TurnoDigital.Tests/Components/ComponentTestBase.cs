using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Tests.Components;

/// <summary>bUnit with MudBlazor and the real Core services on a SQLite file.</summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    protected CoreHarness H { get; private set; } = default!;

    // Waits end as soon as their condition holds; the long ceiling only matters on a loaded 2-core CI machine.
    static ComponentTestBase() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    public async Task InitializeAsync()
    {
        H = await CoreHarness.CreateAsync(configure: ConfigureCore);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddLocalization();
        Services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Services.AddSingleton<TimeProvider>(H.Clock);
        Services.AddSingleton(H.Queries);
        Services.AddSingleton(H.Queue);
        Services.AddSingleton(H.Sessions);
        Services.AddSingleton(H.Services.GetRequiredService<QueueViewCache>()); // the app's one cache, shared by every rendered page
        Services.AddSingleton(H.Services.GetRequiredService<DeskQueries>());
        Services.AddSingleton<IQueueEventSource>(H.Notifier);
        Services.AddSingleton(H.Services.GetRequiredService<TurnoDigital.Core.Appointments.CheckInService>());
        Services.AddSingleton(H.Services.GetRequiredService<TurnoDigital.Core.Organization.OrganizationAdmin>());
        Services.AddSingleton(H.Services.GetRequiredService<TurnoDigital.Core.Appointments.BookingCatalog>());
        Services.AddSingleton(H.Services.GetRequiredService<TurnoDigital.Core.Common.PublicLinks>());
        Services.AddSingleton(new CircuitLimits(new FixedOptions<RateLimits.Settings>(Limits)));
        Services.AddSingleton<Microsoft.AspNetCore.Http.IHttpContextAccessor, Microsoft.AspNetCore.Http.HttpContextAccessor>();
        Services.AddScoped<CircuitClient>();
        Services.AddSingleton<TurnoDigital.Web.Live.LiveChannelStatus>();
    }

    /// <summary>Adds to or replaces Core's services before the harness is built.</summary>
    protected virtual void ConfigureCore(IServiceCollection services) { }

    /// <summary>The in-circuit limits the components see; generous unless a test tightens them before rendering.</summary>
    protected RateLimits.Settings Limits { get; } = new()
    {
        KioskTickets = new() { PermitLimit = 1000 },
        PublicSubmissions = new() { PermitLimit = 1000 },
        Public = new() { PermitLimit = 1000 },
    };

    protected async Task SignInAsDeviceAsync(DeviceKind kind)
    {
        await using var db = H.Db();
        var device = db.Devices.Single(d => d.Kind == kind);
        var auth = AddAuthorization();
        auth.SetAuthorized(device.Name);
        auth.SetClaims(DeviceAuth.Principal(device).Claims.ToArray());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await H.DisposeAsync();
    }
}
