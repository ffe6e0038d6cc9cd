using Microsoft.Extensions.Configuration;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web;

namespace TurnoDigital.Tests.Web.Configuration;

/// <summary>What the shipped settings hold, and which settings the app refuses outside Development.</summary>
public class StartupChecksTests
{
    const string DemoAppSecret = "turno-demo-simulator-secret", DemoVerifyToken = "turno-demo-verify";

    static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    static IConfiguration RepositoryFile(string name) =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(ProcessApp.SolutionFolder, name), optional: false).Build();

    static IReadOnlyList<string> Offending(IConfiguration config, string environment) =>
        StartupChecks.Problems(config, environment).Select(p => p.Split(' ')[0]).ToList();

    [Fact]
    public void The_shipped_appsettings_holds_no_demo_and_no_secret_and_the_Development_file_holds_the_demo()
    {
        var shipped = RepositoryFile("appsettings.json");
        Assert.Equal("false", shipped["Demo:Seed"], ignoreCase: true);
        foreach (var key in new[] { "Demo:Password", "Demo:KioskPairingCode", "Demo:DisplayPairingCode", "Demo:ApiKey",
                     "WhatsApp:AppSecret", "WhatsApp:VerifyToken", "WhatsApp:AccessToken", "WhatsApp:PhoneNumberId" })
            Assert.True(string.IsNullOrEmpty(shipped[key]), $"{key} = {shipped[key]}");
        Assert.Empty(StartupChecks.Problems(shipped, "Production"));

        var development = RepositoryFile("appsettings.Development.json");
        Assert.Equal("true", development["Demo:Seed"], ignoreCase: true);
        Assert.Equal("KIOSCO-DEMO", development["Demo:KioskPairingCode"]);
        Assert.Equal(DemoAppSecret, development["WhatsApp:AppSecret"]);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void Outside_Development_the_demo_switch_and_every_demo_secret_are_refused_by_name(string environment)
    {
        Assert.Equal(["Demo:Seed"], Offending(Config(("Demo:Seed", "true")), environment));
        Assert.Equal(["Demo:Password", "Demo:KioskPairingCode", "Demo:DisplayPairingCode", "Demo:ApiKey"], Offending(Config(("Demo:Seed", "false"),
            ("Demo:Password", "x"), ("Demo:KioskPairingCode", "x"), ("Demo:DisplayPairingCode", "x"), ("Demo:ApiKey", "x")), environment));
        Assert.Empty(Offending(Config(("Demo:Seed", "false"), ("Demo:ApiKey", "")), environment));
    }

    [Fact]
    public void Development_accepts_the_demo()
    {
        Assert.Empty(Offending(Config(("Demo:Seed", "true"), ("Demo:Password", "TurnoDemo2026"), ("WhatsApp:Mode", "CloudApi")), "Development"));
    }

    [Fact]
    public void The_Cloud_API_needs_every_credential_and_no_demo_value()
    {
        Assert.Equal(["WhatsApp:AppSecret", "WhatsApp:VerifyToken", "WhatsApp:AccessToken", "WhatsApp:PhoneNumberId"],
            Offending(Config(("WhatsApp:Mode", "CloudApi")), "Production"));
        Assert.Equal(["WhatsApp:AppSecret", "WhatsApp:VerifyToken"], Offending(Config(("WhatsApp:Mode", "CloudApi"),
            ("WhatsApp:AppSecret", DemoAppSecret), ("WhatsApp:VerifyToken", DemoVerifyToken), ("WhatsApp:AccessToken", "EAAG-real"), ("WhatsApp:PhoneNumberId", "1098")), "Production"));
        Assert.Empty(Offending(Config(("WhatsApp:Mode", "CloudApi"),
            ("WhatsApp:AppSecret", "real-secret"), ("WhatsApp:VerifyToken", "real-token"), ("WhatsApp:AccessToken", "EAAG-real"), ("WhatsApp:PhoneNumberId", "1098")), "Production"));
        // The simulator mode keeps its webhook closed outside Development: its secrets are not used there.
        Assert.Empty(Offending(Config(("WhatsApp:Mode", "Simulator"), ("WhatsApp:AppSecret", DemoAppSecret)), "Production"));
    }

    [Fact]
    public async Task A_test_factory_with_the_demo_switch_does_not_start_nor_touch_its_database()
    {
        using var database = new TempDatabase();
        await using (var factory = new TurnoWebFactory(database) { Settings = new Dictionary<string, string> { ["Demo:Seed"] = "true" } })
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await factory.CreateClient().GetAsync("/health"));
        // The check runs before migrations and seeding: the SQLite file was never created.
        Assert.False(File.Exists(database.Path));
    }
}
