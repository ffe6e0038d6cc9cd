using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Demo;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// The organization most web, end-to-end and core tests share: branch "Sede Centro", its four services and three counters,
/// admin@demo.turno, supervisor@demo.turno, agente1/agente2@demo.turno, a kiosk and a display with reusable pairing codes and an
/// API key with every scope. It is the demo's data, written by the Core seeding code with test credentials passed in code,
/// never through the Demo:* settings (which the app refuses outside Development).
/// </summary>
public static class TestOrganization
{
    public static DemoOptions Credentials => new()
    {
        Password = TurnoWebFactory.Password,
        KioskPairingCode = TurnoWebFactory.KioskCode,
        DisplayPairingCode = TurnoWebFactory.DisplayCode,
        ApiKey = TurnoWebFactory.ApiKey,
    };

    /// <summary>Idempotent, like the seeder it calls. The core harness leaves the API key out (<paramref name="apiKey"/> false).</summary>
    public static async Task SeedAsync(IServiceProvider services, bool apiKey = true)
    {
        var credentials = Credentials;
        if (!apiKey) credentials.ApiKey = null;
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(credentials);
    }
}
