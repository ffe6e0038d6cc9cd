using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Security;

/// <summary>Data-protection keys in the database, encrypted with the configured certificate; a warning when none is.</summary>
public class KeyProtectionTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("turno-keys-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    sealed class Factory : BuiltWebFactory
    {
        protected override Task SeedAsync(IServiceProvider services) => Task.CompletedTask;
    }

    static TurnoWebFactory Start(Dictionary<string, string> settings)
    {
        var factory = new Factory { Settings = settings };
        _ = factory.Services; // starts the host
        return factory;
    }

    static async Task<List<string>> KeyXmlAsync(TurnoWebFactory factory)
    {
        // A protected payload makes the app create its first key if it has none.
        var protector = factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("hola", protector.Unprotect(protector.Protect("hola")));
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    [Fact]
    public async Task With_a_certificate_the_keys_are_stored_encrypted_and_still_read_back()
    {
        var path = Path.Combine(folder, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Turno Digital keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
            await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "Clave-Certificado-2026"));
        }
        await using var factory = Start(new() { ["DataProtection:CertificatePath"] = path, ["DataProtection:CertificatePassword"] = "Clave-Certificado-2026" });
        var keys = await KeyXmlAsync(factory);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<EncryptedData", xml);
            Assert.DoesNotContain("<masterKey", xml); // replaced by its encrypted form
        });
        // A signed-in cookie round-trips through the encrypted key ring.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await factory.Browser().GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task Without_a_certificate_the_keys_are_clear_and_a_warning_is_logged_outside_development()
    {
        var log = Path.Combine(folder, "logs", "turno-.log");
        await using var factory = Start(new() { ["Logging:File"] = log });
        var keys = await KeyXmlAsync(factory);
        Assert.Contains(keys, xml => xml.Contains("<masterKey") && !xml.Contains("<EncryptedData"));
        var text = "";
        for (var attempt = 0; attempt < 100 && !text.Contains("Data-protection keys are stored unencrypted"); attempt++)
        {
            text = string.Join("\n", Directory.Exists(Path.GetDirectoryName(log)) ? Directory.GetFiles(Path.GetDirectoryName(log)!).Select(ReadShared) : []);
            if (!text.Contains("Data-protection keys are stored unencrypted")) await Task.Delay(50); // the file sink writes asynchronously
        }
        Assert.Contains("Data-protection keys are stored unencrypted", text);
    }

    static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
