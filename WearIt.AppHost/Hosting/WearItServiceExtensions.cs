using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>Wires WearIt's services to the infrastructure of the chosen mode.</summary>
public static class WearItServiceExtensions
{
    /// <summary>Gives the service (ApiService only) the user-token secret; issuer and audience come from its own settings.</summary>
    public static IResourceBuilder<ProjectResource> WithJwtSigningKey(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> signingKey) =>
        service.WithEnvironment("Jwt__SigningKey", signingKey);

    /// <summary>Gives the service the key of service tokens (and of signed storage URLs), shared by both services.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceTokenKey(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> serviceKey) =>
        service.WithEnvironment("Jwt__ServiceSigningKey", serviceKey);

    /// <summary>
    /// Passes on every setting of <paramref name="section"/> the AppHost was given (command line, environment, user
    /// secrets) as the service's environment, so the AppHost is where a deployment is configured.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettingsOf(
        this IResourceBuilder<ProjectResource> service, string section, IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(section).AsEnumerable(makePathsRelative: true)
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key, setting => setting.Value!, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configured)
        {
            service.WithEnvironment($"{section}:{key}".Replace(":", "__", StringComparison.Ordinal), value);
        }

        return service;
    }

    /// <summary>
    /// Every public URL the service writes names the gateway's origin: signed storage URLs (both services); links in
    /// mail, Stripe's return URLs (unless <c>WearIt:Payments:ReturnBaseUrl</c> is set) and where the web app finds
    /// try-ons (ApiService); the web app's origin for the socket's origin check (TryonService).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublicOrigin(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> gateway, IDistributedApplicationBuilder builder)
    {
        var origin = gateway.GetEndpoint("http");
        service.WithEnvironment("WearIt__Storage__PublicBaseUrl", origin);
        if (service.Resource.Name == "apiservice")
        {
            service.WithEnvironment("WearIt__Mail__LinkBaseUrl", origin)
                .WithEnvironment("WearIt__WebApp__TryonBaseUrl", origin);
            if (string.IsNullOrWhiteSpace(builder.Configuration["WearIt:Payments:ReturnBaseUrl"]))
            {
                service.WithEnvironment("WearIt__Payments__ReturnBaseUrl", origin);
            }
        }
        else
        {
            service.WithEnvironment("WearIt__WebApp__Origins__0", origin);
        }

        return service;
    }

    /// <summary>The setting that puts DCP's proxy in front of each service (true or false; false unless set).</summary>
    public const string ServiceProxySetting = "WearIt:ServiceProxy";

    /// <summary>
    /// Without <see cref="ServiceProxySetting"/> the service listens on its launch profile's port itself, as it does
    /// deployed. With it, DCP listens there and forwards each connection to a port of the service's own; the tests set
    /// it, so that several AppHosts (each on ports of their own) can run side by side.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceProxy(this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ServiceProxySetting];
        var proxied = false;
        if (!string.IsNullOrWhiteSpace(configured) && !bool.TryParse(configured, out proxied))
        {
            throw new InvalidOperationException($"{ServiceProxySetting} must be true or false; it is '{configured}'.");
        }

        service.WithEndpointProxySupport(proxied);
        return service;
    }

    /// <summary>The setting that chooses the share of traces kept (0 to 1).</summary>
    public const string TraceSampleRatioSetting = "WearIt:Telemetry:TraceSampleRatio";

    /// <summary>The share of traces kept unless <see cref="TraceSampleRatioSetting"/> says otherwise.</summary>
    public const double DefaultTraceSampleRatio = 0.1;

    /// <summary>
    /// Keeps a share of traces, chosen where each trace starts and followed by every service it reaches, through the
    /// OpenTelemetry SDK's own sampler settings (<c>OTEL_TRACES_SAMPLER</c>), not code. Exporting every request's
    /// spans and the dashboard storing them took two thirds of what a request cost on a 2-core machine (issue 13);
    /// metrics and logs are never sampled. Set the ratio to 1 to keep every trace while debugging.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTraceSampling(this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[TraceSampleRatioSetting];
        var ratio = DefaultTraceSampleRatio;
        if (!string.IsNullOrWhiteSpace(configured)
            && (!double.TryParse(configured, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1))
        {
            throw new InvalidOperationException($"{TraceSampleRatioSetting} must be a number from 0 to 1 (the share of traces kept); it is '{configured}'.");
        }

        return service.WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
            .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", ratio.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Points the service's database at a MongoDB database resource.</summary>
    public static IResourceBuilder<ProjectResource> WithMongoDatabase(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<MongoDBDatabaseResource> database) =>
        service.WithReference(database)
            .WaitFor(database)
            .WithEnvironment("WearIt__Database__Provider", "mongodb")
            .WithEnvironment("WearIt__Database__ConnectionStringName", database.Resource.Name);

    /// <summary>
    /// Embedded mode: the service keeps its database in a LiteDB file, its objects in a folder and, when it
    /// sends mail, its messages as <c>.eml</c> files, all under the data root.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEmbeddedInfrastructure(
        this IResourceBuilder<ProjectResource> service, string dataRoot, string databaseName, bool sendsMail = false)
    {
        var databaseFile = Path.Combine(dataRoot, "db", $"{databaseName}.db");
        // Direct mode: the file stays open and cached in the one process that owns it (each service has its own file,
        // and embedded mode runs one instance of each). What guards that: direct mode opens the file exclusively, so a
        // second process on it (another AppHost on the same data root) fails at start with "file in use" instead of
        // corrupting it. Several instances of a service need MongoDB (containers mode).
        service.WithEnvironment("WearIt__Database__Provider", "litedb")
            .WithEnvironment("WearIt__Database__ConnectionStringName", databaseName)
            .WithEnvironment($"ConnectionStrings__{databaseName}", $"Filename={databaseFile};Connection=direct")
            .WithEnvironment("WearIt__Storage__Provider", "filesystem")
            .WithEnvironment("WearIt__Storage__RootPath", Path.Combine(dataRoot, "objects"));
        if (sendsMail)
        {
            service.WithEnvironment("WearIt__Mail__Provider", "pickup")
                .WithEnvironment("WearIt__Mail__PickupDirectory", Path.Combine(dataRoot, "mail"));
        }

        return service;
    }
}
