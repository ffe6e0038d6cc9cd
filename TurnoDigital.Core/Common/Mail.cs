using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace TurnoDigital.Core.Common;

/// <summary>Configuration section <c>Mail</c>. The password belongs in user secrets or the environment, never in appsettings.json.</summary>
public sealed class MailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Turno Digital <alertas@turno.local>";
    /// <summary>Where messages are written as .eml files in Development or when no host is configured (relative to the content root).</summary>
    public string PickupDirectory { get; set; } = Path.Combine("App_Data", "mail");
}

/// <summary>Sends e-mail through SMTP (MailKit), or writes it to the pickup folder so a demo needs no mail server.</summary>
public sealed class MailSender(IOptions<MailOptions> options, string contentRoot, bool development)
{
    public bool UsesPickup => development || string.IsNullOrWhiteSpace(options.Value.Host);

    public string PickupFolder => Path.GetFullPath(Path.Combine(contentRoot, options.Value.PickupDirectory));

    public async Task SendAsync(IEnumerable<string> to, string subject, string body, CancellationToken ct = default)
    {
        var o = options.Value;
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(o.From));
        foreach (var address in to) message.To.Add(MailboxAddress.Parse(address));
        if (message.To.Count == 0) return;
        if (UsesPickup)
        {
            Directory.CreateDirectory(PickupFolder);
            var file = Path.Combine(PickupFolder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(file, ct);
            return;
        }
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(o.Host!, o.Port, SecureSocketOptions.Auto, ct);
        if (!string.IsNullOrEmpty(o.User)) await smtp.AuthenticateAsync(o.User, o.Password ?? "", ct);
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
    }
}
