using System.Collections.Concurrent;
using System.Net;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using WearIt.ApiService.Mail;
using WearIt.Tests.Support;

namespace WearIt.Tests.Abuse;

/// <summary>
/// The mail loop under faults: while the server is down, messages wait (none is lost) and /health says Degraded; a
/// message the server refuses for good is dropped without holding up the ones behind it.
/// </summary>
public sealed class MailOutageTests : IAsyncLifetime
{
    private readonly ScriptedMailServer _server = new();
    private readonly ApiServiceFixture _api = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _api.Factory.ServiceOverrides.Add(services => services.AddSingleton<IMailSender>(_server));
        return _api.InitializeAsync();
    }

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task WhileTheMailServerIsDownMailWaitsAndHealthIsDegradedThenEverythingIsSentInOrder()
    {
        _server.Down = true;
        var first = await _api.SignupAsync(verify: false);
        var second = await _api.SignupAsync(verify: false);
        await _server.WaitForAttemptsAsync(3, Cancellation);

        var duringOutage = await _api.Http.GetStringAsync("/health", Cancellation);
        _server.Down = false;
        await _server.WaitForSentAsync(2, Cancellation);

        Assert.Equal("Degraded", duringOutage);
        Assert.Equal([first.Email, second.Email], _server.Sent.Select(message => message.To.Mailboxes.Single().Address));
        Assert.Equal("Healthy", await _api.Http.GetStringAsync("/health", Cancellation));
    }

    [Fact]
    public async Task AMessageTheServerRefusesForGoodIsDroppedAndTheNextOneIsSent()
    {
        var refused = $"refused-{Guid.NewGuid():N}@example.com";
        _server.Refuse = refused;

        using var bad = await _api.Http.PostAsync("/api/v1/auth/signup", System.Net.Http.Json.JsonContent.Create(new { email = refused, password = "a fine password", name = "Refused" }), Cancellation);
        var good = await _api.SignupAsync(verify: false);
        await _server.WaitForSentAsync(1, Cancellation);

        Assert.Equal(HttpStatusCode.Created, bad.StatusCode);
        Assert.Equal(good.Email, _server.Sent.Single().To.Mailboxes.Single().Address);
        Assert.Equal("Healthy", await _api.Http.GetStringAsync("/health", Cancellation));
    }

    /// <summary>A mail server that can be down (every send fails to connect) or refuse one recipient for good (a 550).</summary>
    private sealed class ScriptedMailServer : IMailSender
    {
        private int _attempts;

        public volatile bool Down;

        public string? Refuse { get; set; }

        public ConcurrentQueue<MimeMessage> Sent { get; } = new();

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Down)
            {
                throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
            }

            var to = message.To.Mailboxes.Single();
            if (to.Address == Refuse)
            {
                throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, to, "550 No such user here");
            }

            Sent.Enqueue(message);
            return Task.CompletedTask;
        }

        public Task WaitForAttemptsAsync(int count, CancellationToken token) => PollAsync(() => Volatile.Read(ref _attempts) >= count, $"{count} send attempts", token);

        public Task WaitForSentAsync(int count, CancellationToken token) => PollAsync(() => Sent.Count >= count, $"{count} messages sent", token);

        /// <summary>Polls every 50 ms for up to a minute (the loop's backoff after a failure reaches a few seconds).</summary>
        private static async Task PollAsync(Func<bool> done, string what, CancellationToken token)
        {
            for (var poll = 0; poll < 1200; poll++)
            {
                if (done())
                {
                    return;
                }

                await Task.Delay(50, token);
            }

            throw new Xunit.Sdk.XunitException($"No {what} within a minute.");
        }
    }
}
