using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using Serilog;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Web.Components;
using TurnoDigital.Web.Endpoints;
using TurnoDigital.Web.Live;
using TurnoDigital.Web.Localization;
using TurnoDigital.Web.Logging;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Web;

public static class WebSetup
{
    /// <summary>
    /// The root appsettings.json and appsettings.{Environment}.json (copied next to the binaries) under env vars and args;
    /// Serilog to console and a rolling file.
    /// </summary>
    public static void AddTurnoConfigurationAndLogging(this WebApplicationBuilder builder)
    {
        // Only the files next to the binaries count: drop the host's content-root copies, whatever the working folder holds.
        var files = new[] { "appsettings.json", $"appsettings.{builder.Environment.EnvironmentName}.json" };
        var sources = builder.Configuration.Sources;
        foreach (var json in sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().Where(j => files.Contains(j.Path)).ToList())
            sources.Remove(json);
        // Lowest precedence (the environment's file right after the shared one): environment variables and arguments still override them.
        var binaries = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory);
        for (var i = 0; i < files.Length; i++)
            sources.Insert(i, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = files[i], Optional = true, FileProvider = binaries });
        // Serve the libraries' static files (MudBlazor, blazor.web.js) from a build output in any environment.
        builder.WebHost.UseStaticWebAssets();
        var logFile = builder.Configuration["Logging:File"] ?? "App_Data/logs/turno-.log";
        builder.Services.AddSerilog(lc => lc
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithPersonalDataMasking() // last: it also masks what the other enrichers added
            .WriteTo.Console()
            .WriteTo.File(Path.Combine(builder.Environment.ContentRootPath, logFile), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14),
            // Each app its own logger (several test apps share a process): nothing goes through the static Log.Logger.
            preserveStaticLogger: true);
    }

    public static IServiceCollection AddTurnoWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHttpContextAccessor();
        services.AddCascadingAuthenticationState();
        services.AddStaffRevalidation();
        services.AddLocalization();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = DeviceAuth.SmartScheme;
                o.DefaultChallengeScheme = DeviceAuth.SmartScheme;
            })
            .AddIdentityCookies();
        new Microsoft.AspNetCore.Authentication.AuthenticationBuilder(services).AddDeviceCookie().AddApiKeyAuth();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = DeviceAuth.StaffCookieName;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder()
            .RequireStaffByDefault()
            .AddPolicy(DeviceAuth.KioskPolicy, p => p.AddAuthenticationSchemes(DeviceAuth.Scheme).RequireClaim(DeviceAuth.KindClaim, nameof(DeviceKind.Kiosk)))
            .AddPolicy(DeviceAuth.DisplayPolicy, p => p.AddAuthenticationSchemes(DeviceAuth.Scheme).RequireClaim(DeviceAuth.KindClaim, nameof(DeviceKind.Display)))
            .AddApiKeyPolicies();
        // REST API: enums as names, camelCase (the web default); nothing else in the app serialises with these options.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/") == true;
            o.AddDocumentTransformer((doc, _, _) => { ApiKeyAuth.Describe(doc); return Task.CompletedTask; });
        });

        services.AddSingleton<LiveChannelStatus>();
        services.AddSingleton<PublicLiveFeed>();
        // Several nodes share queue events through Redis when it is configured; one node (the demo) keeps them in process.
        if (configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            var channel = configuration["Redis:Channel"] is { Length: > 0 } name ? name : "turno:queue-events";
            services.AddSingleton(sp => new RedisQueueNotifier(redis, channel, sp.GetRequiredService<LiveChannelStatus>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisQueueNotifier>>()));
            services.AddSingleton<IQueueNotifier>(sp => sp.GetRequiredService<RedisQueueNotifier>());
            services.AddSingleton<IQueueEventSource>(sp => sp.GetRequiredService<RedisQueueNotifier>());
        }
        else
        {
            var notifier = new InProcessQueueNotifier();
            services.AddSingleton<IQueueNotifier>(notifier);
            services.AddSingleton<IQueueEventSource>(notifier);
        }
        services.AddTurnoRateLimits();
        services.AddSingleton<CircuitLimits>();
        services.AddScoped<CircuitClient>();
        services.AddScoped<TurnoDigital.Web.Live.DeskPresence>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<TurnoDigital.Web.Live.DeskPresence>());
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, TurnoDigital.Web.Live.DevicePresence>();
        services.AddHealthChecks().AddDbContextCheck<TurnoDbContext>("database").AddCheck<LiveChannelHealthCheck>("live-events");
        return services;
    }

    public static WebApplication UseTurnoWeb(this WebApplication app)
    {
        app.UseTurnoProxyAndTransport();
        app.UseNodeAffinity(app.Configuration); // after the forwarded scheme is known
        app.WarnIfKeysUnprotected();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseApiProblems();
        // This host's logger (with its masking), not the static one another host in the process may have replaced.
        app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseApiErrorTally();
        app.UseSimulatorGate();
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Ui.Spanish).AddSupportedCultures(Ui.Cultures).AddSupportedUICultures(Ui.Cultures);
            // Only the explicit choice counts: a browser in English still gets Spanish by default.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssetsAnonymous();
        app.MapTurnoEndpoints();
        PublicLiveFeed.Map(app);
        app.MapWhatsAppEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowBlazorInfrastructureAnonymous();
        app.MapNotFoundFallback();
        return app;
    }
}
