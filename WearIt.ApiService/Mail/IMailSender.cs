using MimeKit;

namespace WearIt.ApiService.Mail;

/// <summary>Delivers one message, or throws.</summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
