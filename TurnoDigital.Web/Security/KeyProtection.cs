using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace TurnoDigital.Web.Security;

/// <summary>
/// The data-protection keys (they sign every login, device and antiforgery cookie) live in the database; with
/// <c>DataProtection:CertificatePath</c> (a .pfx) and its password in <c>DataProtection:CertificatePassword</c>
/// (environment variable <c>DataProtection__CertificatePassword</c>) new keys are stored encrypted with that certificate.
/// Keys written before stay readable.
/// </summary>
public static class KeyProtection
{
    public static IServiceCollection AddTurnoKeyProtection(this IServiceCollection services, IConfiguration config)
    {
        var path = config["DataProtection:CertificatePath"];
        if (string.IsNullOrWhiteSpace(path)) return services;
        X509Certificate2 certificate;
        try { certificate = X509CertificateLoader.LoadPkcs12FromFile(path, config["DataProtection:CertificatePassword"]); }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"DataProtection:CertificatePath \"{path}\" could not be read as a .pfx with DataProtection:CertificatePassword: {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"DataProtection:CertificatePath \"{path}\" has no private key: the keys could be written but never read back.");
        // Also registers the certificate for decryption, so no certificate store is needed.
        services.AddDataProtection().ProtectKeysWithCertificate(certificate);
        return services;
    }

    /// <summary>A warning line at start outside Development when the keys sit in the database unencrypted.</summary>
    public static void WarnIfKeysUnprotected(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() || !string.IsNullOrWhiteSpace(app.Configuration["DataProtection:CertificatePath"])) return;
        app.Logger.LogWarning("Data-protection keys are stored unencrypted in the database: set DataProtection:CertificatePath (a .pfx) "
            + "and DataProtection__CertificatePassword so anyone who reads the database cannot forge sign-in cookies.");
    }
}
