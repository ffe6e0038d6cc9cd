using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Web;

/// <summary>
/// Safe by default: outside Development (every other environment, tests included) the app refuses to start with the demo
/// switched on, any demo secret set, or the Cloud API without its real credentials. The demo values are the ones shipped
/// in appsettings.Development.json next to the binaries.
/// </summary>
public static class StartupChecks
{
    static readonly string[] DemoSecrets = ["Demo:Password", "Demo:KioskPairingCode", "Demo:DisplayPairingCode", "Demo:ApiKey"];
    static readonly string[] CloudApiSecrets = ["WhatsApp:AppSecret", "WhatsApp:VerifyToken", "WhatsApp:AccessToken", "WhatsApp:PhoneNumberId"];

    /// <summary>Logs one critical line per offending key; false when the app must not start.</summary>
    public static bool Pass(WebApplication app)
    {
        var problems = Problems(app.Configuration, app.Environment.EnvironmentName);
        foreach (var problem in problems)
            app.Logger.LogCritical("Refusing to start in environment {Environment}: {Problem}", app.Environment.EnvironmentName, problem);
        return problems.Count == 0;
    }

    /// <summary>Each offending key with the reason, empty when the configuration may run in <paramref name="environment"/>.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration config, string environment)
    {
        if (environment == Environments.Development) return [];
        var problems = new List<string>();
        if (bool.TryParse(config["Demo:Seed"], out var seed) && seed)
            problems.Add("Demo:Seed is true; demo data is for Development only (set it to false).");
        foreach (var key in DemoSecrets.Where(k => !string.IsNullOrEmpty(config[k])))
            problems.Add($"{key} is set; demo secrets are for Development only (leave it empty).");
        if (Enum.TryParse<WhatsAppMode>(config["WhatsApp:Mode"], ignoreCase: true, out var mode) && mode == WhatsAppMode.CloudApi)
        {
            var demo = DemoValues();
            foreach (var key in CloudApiSecrets)
            {
                var value = config[key];
                if (string.IsNullOrWhiteSpace(value)) problems.Add($"{key} is empty; WhatsApp:Mode=CloudApi needs your app's real value.");
                else if (demo.Contains(value)) problems.Add($"{key} holds a demo value from appsettings.Development.json; set your app's real value.");
            }
        }
        return problems;
    }

    /// <summary>Every secret the Development file ships (demo and WhatsApp), so none of them passes for a real one.</summary>
    static HashSet<string> DemoValues()
    {
        var development = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile($"appsettings.{Environments.Development}.json", optional: true).Build();
        return DemoSecrets.Concat(CloudApiSecrets).Select(k => development[k]).OfType<string>().Where(v => v.Length > 0).ToHashSet();
    }
}
