using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Writes to the AppHost log when each service turns healthy and when all of them are.</summary>
public static class ReadinessLogging
{
    /// <summary>Logs each service's readiness and, once every one is ready, that WearIt is up.</summary>
    public static IDistributedApplicationBuilder LogWhenReady(this IDistributedApplicationBuilder builder, params IResourceBuilder<IResource>[] services)
    {
        var pending = services.Length;
        foreach (var service in services)
        {
            builder.Eventing.Subscribe<ResourceReadyEvent>(service.Resource, (@event, _) =>
            {
                var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WearIt.AppHost");
                logger.LogInformation("{Resource} is healthy", @event.Resource.Name);
                if (Interlocked.Decrement(ref pending) == 0)
                {
                    logger.LogInformation("WearIt is up: all {Count} services are healthy", services.Length);
                }

                return Task.CompletedTask;
            });
        }

        return builder;
    }
}
