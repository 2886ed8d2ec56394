using MimeKit;

namespace WearIt.ApiService.Mail;

/// <summary>Writes each message as an <c>.eml</c> file into a folder (embedded mode); any mail client opens them.</summary>
public sealed class PickupDirectoryMailSender(string directory, TimeProvider time) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = $"{time.GetUtcNow():yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml";
        var temporary = Path.Combine(directory, name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(directory, name));
    }
}
