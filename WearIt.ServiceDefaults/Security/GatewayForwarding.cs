using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WearIt.ServiceDefaults.Security;

/// <summary>
/// Behind the gateway a request arrives from the gateway's address: its <c>X-Forwarded-For</c>, <c>-Proto</c> and
/// <c>-Host</c> name the client and the public origin, and are believed from the gateway only. That is loopback
/// (where the AppHost runs everything) and the addresses in <c>WearIt:Gateway:KnownProxies</c> and networks in
/// <c>WearIt:Gateway:KnownNetworks</c> (a deployment's gateway); from anyone else the headers are ignored, so a client cannot pick its own address for the rate limits.
/// </summary>
public static class GatewayForwarding
{
    public const string KnownProxiesSetting = "WearIt:Gateway:KnownProxies";

    public const string KnownNetworksSetting = "WearIt:Gateway:KnownNetworks";

    public static IHostApplicationBuilder AddWearItForwardedHeaders(this IHostApplicationBuilder builder)
    {
        var proxies = (builder.Configuration.GetSection(KnownProxiesSetting).Get<string[]>() ?? [])
            .Select(proxy => IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"{KnownProxiesSetting} holds '{proxy}', which is not an IP address."))
            .ToList();
        var networks = (builder.Configuration.GetSection(KnownNetworksSetting).Get<string[]>() ?? [])
            .Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{KnownNetworksSetting} holds '{network}', which is not a network such as 10.0.0.0/8."))
            .ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // One gateway in front: only its own entry (the last) is read.
            options.ForwardLimit = 1;
            // Published apps get ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, which empties both lists, and empty lists
            // believe anyone: they are always set here, to loopback and what is configured.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Add(new System.Net.IPNetwork(IPAddress.Loopback, 8));
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so every later piece (rate limits, signed URLs, links) sees the client and the public origin.</summary>
    public static IApplicationBuilder UseWearItForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
