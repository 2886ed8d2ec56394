using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace WearIt.ApiService.Mail;

/// <summary>Sends through an SMTP server named by <c>ConnectionStrings:mail</c> (<c>smtp://host:port</c>).</summary>
public sealed class SmtpMailSender(Uri server) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        // MailPit and local relays speak plain SMTP; a real relay on 465 or 587 negotiates TLS.
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.Auto, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
