namespace WearIt.AppHost.Infrastructure;

/// <summary>Reads <c>WearIt:Infrastructure</c> and, for <c>auto</c>, probes for a container runtime.</summary>
public static class InfrastructureModeSelector
{
    /// <summary>The configuration key that forces a mode.</summary>
    public const string ConfigurationKey = "WearIt:Infrastructure";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Chooses the mode for this run; publishing always describes the containers deployment.</summary>
    public static InfrastructureChoice Select(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new(InfrastructureMode.Containers, "publishing describes the containers deployment");
        }

        switch (configured?.Trim().ToLowerInvariant())
        {
            case "containers":
                return new(InfrastructureMode.Containers, $"{ConfigurationKey} is 'containers'");
            case "embedded":
                return new(InfrastructureMode.Embedded, $"{ConfigurationKey} is 'embedded'");
            case null or "" or "auto":
                var (runtime, detail) = ContainerRuntimeProbe.FindRunningRuntime(ProbeTimeout);
                if (runtime is not null)
                {
                    // NOTE: Aspire uses Docker unless told otherwise; point it at Podman when only Podman answers.
                    if (runtime == "podman")
                    {
                        builder.Configuration["DcpPublisher:ContainerRuntime"] = "podman";
                    }

                    return new(InfrastructureMode.Containers, $"auto: {detail}");
                }

                return new(InfrastructureMode.Embedded, $"auto: no container runtime answered ({detail})");
            default:
                throw new InvalidOperationException(
                    $"{ConfigurationKey} is '{configured}'; use 'auto', 'containers' or 'embedded'.");
        }
    }
}
