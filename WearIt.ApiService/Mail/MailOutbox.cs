using System.Threading.Channels;
using MailKit.Net.Smtp;
using MimeKit;
using WearIt.ServiceDefaults.Health;

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

/// <summary>
/// Sends queued mail in order as a background loop: a send that fails for a reason that may pass (the server is down,
/// the connection drops) is tried again with the loop's backoff (1 s doubling to a minute) and marks <c>/health</c>
/// Degraded meanwhile, the message kept, never lost; a message the server refuses for good (a 5xx on the sender,
/// recipient or message) is dropped and logged, so it cannot hold up the rest. Logs name the subject, never the content.
/// </summary>
public sealed partial class MailDispatcher(MailOutbox outbox, IMailSender sender, BackgroundLoops loops, ILogger<MailDispatcher> logger) : BackgroundService
{
    private MimeMessage? _pending;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunAsync("mail", SendNextAsync, TimeSpan.Zero, stoppingToken);

    private async Task<bool> SendNextAsync(CancellationToken stoppingToken)
    {
        _pending ??= await outbox.Reader.ReadAsync(stoppingToken);
        try
        {
            await sender.SendAsync(_pending, stoppingToken);
            LogSent(logger, _pending.Subject);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            LogRefused(logger, ex, _pending.Subject, ex.ErrorCode);
        }

        _pending = null;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail sent: {Subject}")]
    private static partial void LogSent(ILogger logger, string? subject);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail refused for good by the server ({Reason}), dropped: {Subject}")]
    private static partial void LogRefused(ILogger logger, Exception exception, string? subject, SmtpErrorCode reason);
}
