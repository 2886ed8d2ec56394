using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Security;

namespace WearIt.Tests.Platform;

/// <summary>Which forwarded headers a service believes: the gateway's (loopback, or configured), nobody else's.</summary>
public sealed class GatewayForwardingTests
{
    [Fact]
    public async Task BehindTheGatewayAServiceSeesTheClientsAddressAndThePublicOrigin()
    {
        await using var app = Build([]);
        app.MapGet("/who", (HttpContext http) => $"{http.Connection.RemoteIpAddress} {http.Request.Scheme}://{http.Request.Host}");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/who");
        // What YARP adds; "198.51.100.9" stands for an earlier hop the gateway was told about, and is not believed.
        request.Headers.Add("X-Forwarded-For", "198.51.100.9, 203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "wearit.example");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("203.0.113.7 https://wearit.example", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task APublishedServiceStillBelievesOnlyLoopbackAndTheConfiguredGateway()
    {
        // Aspire's manifest sets ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, whose setup empties the known lists (trust anyone).
        await using var app = Build(["--FORWARDEDHEADERS_ENABLED=true", "--WearIt:Gateway:KnownProxies:0=10.1.2.3", "--WearIt:Gateway:KnownNetworks:0=10.8.0.0/16"]);

        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal([IPAddress.IPv6Loopback, IPAddress.Parse("10.1.2.3")], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("10.8.0.0/16")], options.KnownIPNetworks);
        Assert.Equal(1, options.ForwardLimit);
    }

    [Fact]
    public void AGatewayAddressThatIsNotOneFailsAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(["--WearIt:Gateway:KnownProxies:0=gateway.local"]));

        Assert.Contains("WearIt:Gateway:KnownProxies", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddWearItForwardedHeaders();
        var app = builder.Build();
        app.UseWearItForwardedHeaders();
        return app;
    }
}
