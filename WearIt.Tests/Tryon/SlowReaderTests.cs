using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Tryon;

/// <summary>A client that stops reading is disconnected instead of growing the server's memory (real Kestrel and TCP).</summary>
public sealed class SlowReaderTests
{
    [Fact]
    public async Task AClientThatDoesNotReadIsDisconnected()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var factory = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon")
        {
            Settings = { ["WearIt:Tryon:SocketSendTimeout"] = "00:00:01", ["WearIt:Tryon:Concurrency"] = "0" },
        };
        var dropping = new LogSignal("it did not read in time");
        factory.ServiceOverrides.Add(services => services.AddSingleton<ILoggerProvider>(dropping));
        factory.UseKestrel(0);
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var user = Guid.NewGuid();
        var events = factory.Services.GetRequiredService<ITryonEventLog>();
        var filler = new string('x', 80_000);
        for (var i = 0; i < 300; i++)
        {
            // About 24 MB of events: far more than the TCP buffers between server and client hold.
            await events.AppendAsync(new TryonEvent { UserId = user, JobId = Guid.NewGuid(), Type = "tryon.failed", ErrorCode = "x", ErrorMessage = filler, CreatedAt = DateTime.UtcNow }, cancellation);
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetBuffer(1024, 1024);
        await socket.ConnectAsync(new Uri($"ws://{address.Authority}/api/v1/tryons/ws?access_token={TestTokens.User(user)}"), cancellation);
        await socket.SendAsync("{\"type\":\"resume\",\"lastSeq\":0}"u8.ToArray(), WebSocketMessageType.Text, true, cancellation);

        // Act: do not read until the server has given up on the socket, then drain what was buffered until its abort shows.
        // Once the TCP buffers are full the server gives up within its 1 s send timeout (a few seconds in all).
        await dropping.Logged.WaitAsync(TimeSpan.FromSeconds(60), cancellation);
        var received = 0;
        var buffer = new byte[64 * 1024];
        var dropped = false;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, limit.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    dropped = true;
                    break;
                }

                received += result.EndOfMessage ? 1 : 0;
            }
        }
        catch (WebSocketException)
        {
            dropped = true;
        }

        // Assert
        Assert.True(dropped, "the server should have dropped the connection");
        Assert.InRange(received, 1, 299);
    }
}
