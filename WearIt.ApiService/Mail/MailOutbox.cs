using System.Threading.Channels;
using MimeKit;

namespace WearIt.ApiService.Mail;

/// <summary>
/// Queues mail for <see cref="MailDispatcher"/>, so a request never waits on (or reveals through its timing) a send.
/// </summary>
public sealed class MailOutbox
{
    private readonly Channel<MimeMessage> _queue = Channel.CreateBounded<MimeMessage>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Queues a message; false when the queue is full.</summary>
    public bool TryEnqueue(MimeMessage message) => _queue.Writer.TryWrite(message);

    internal ChannelReader<MimeMessage> Reader => _queue.Reader;
}

/// <summary>Sends queued mail, retrying a failed send a few times; what still fails is logged (never its content).</summary>
public sealed partial class MailDispatcher(MailOutbox outbox, IMailSender sender, ILogger<MailDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in outbox.Reader.ReadAllAsync(stoppingToken))
        {
            await SendWithRetriesAsync(message, stoppingToken);
        }
    }

    private async Task SendWithRetriesAsync(MimeMessage message, CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await sender.SendAsync(message, stoppingToken);
                LogSent(logger, message.Subject);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (attempt >= RetryDelays.Length)
                {
                    LogGaveUp(logger, ex, message.Subject, attempt + 1);
                    return;
                }

                LogRetrying(logger, ex, message.Subject, attempt + 1);
                await Task.Delay(RetryDelays[attempt], stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail sent: {Subject}")]
    private static partial void LogSent(ILogger logger, string? subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail send failed (attempt {Attempt}), retrying: {Subject}")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string? subject, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail could not be sent after {Attempts} attempts: {Subject}")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string? subject, int attempts);
}
