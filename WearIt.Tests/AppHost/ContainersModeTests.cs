using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace WearIt.Tests.AppHost;

/// <summary>The containers mode's app model: images, pinned tags, ports, environment and connection strings.</summary>
public sealed class ContainersModeTests : IAsyncLifetime
{
    private AppHostModel _app = null!;

    public async ValueTask InitializeAsync() => _app = await AppHostModel.BuildAsync("WearIt:Infrastructure=containers");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void MongoIsAPinnedMongo8ContainerOnPort27017WithAVolume()
    {
        var mongo = _app.Single<MongoDBServerResource>("mongo");

        var image = Assert.Single(mongo.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("mongo", image.Image);
        Assert.Matches(@"^8\.\d+\.\d+$", image.Tag);
        var endpoint = Assert.Single(mongo.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(27017, endpoint.TargetPort);
        var volume = Assert.Single(mongo.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(("wearit-mongo-data", "/data/db"), (volume.Source, volume.Target));
        Assert.Contains(mongo.Annotations.OfType<HealthCheckAnnotation>(), check => check.Key == "mongo_ping");
    }

    [Fact]
    public async Task MongoHasARootUserWithAGeneratedSecretPassword()
    {
        var mongo = _app.Single<MongoDBServerResource>("mongo");

        var environment = await AppHostModel.PublishedEnvironmentAsync(mongo);

        Assert.Equal("root", environment["MONGO_INITDB_ROOT_USERNAME"]);
        Assert.Equal("{mongo-password.value}", environment["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.True(mongo.PasswordParameter.Secret);
        // In run mode Aspire wraps the generated default in one that persists it to the AppHost's user secrets.
        Assert.NotNull(mongo.PasswordParameter.Default);
    }

    [Theory]
    [InlineData("mongo", "mongodb://root:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/?authSource=admin&authMechanism=SCRAM-SHA-256")]
    [InlineData("wearit", "mongodb://root:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/wearit?authSource=admin&authMechanism=SCRAM-SHA-256")]
    [InlineData("wearit-tryon", "mongodb://root:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/wearit-tryon?authSource=admin&authMechanism=SCRAM-SHA-256")]
    public void ConnectionStringExpressionsNameTheServerAndDatabase(string resource, string expected)
    {
        var withConnectionString = _app.Single<IResourceWithConnectionString>(resource);

        Assert.Equal(expected, withConnectionString.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task LocalStackIsAPinned4xS3OnlyContainerWithAHealthProbe()
    {
        var s3 = _app.Single<LocalStackResource>("s3");

        var image = Assert.Single(s3.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("localstack/localstack", image.Image);
        Assert.Matches(@"^4\.\d+\.\d+$", image.Tag);
        Assert.Equal(4566, Assert.Single(s3.Annotations.OfType<EndpointAnnotation>()).TargetPort);
        var environment = await AppHostModel.PublishedEnvironmentAsync(s3);
        Assert.Equal("s3", environment["SERVICES"]);
        Assert.Equal("0", environment["S3_SKIP_SIGNATURE_VALIDATION"]);
        Assert.Contains(s3.Annotations.OfType<HealthCheckAnnotation>(), check => check.Key.Contains("s3", StringComparison.Ordinal));
    }

    [Fact]
    public void MailPitIsAPinnedContainerWithSmtpAndAWebUi()
    {
        var mail = _app.Single<MailPitResource>("mail");

        var image = Assert.Single(mail.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("axllent/mailpit", image.Image);
        Assert.Matches(@"^v\d+\.\d+\.\d+$", image.Tag);
        var ports = mail.Annotations.OfType<EndpointAnnotation>().ToDictionary(endpoint => endpoint.Name, endpoint => endpoint.TargetPort);
        Assert.Equal(1025, ports["smtp"]);
        Assert.Equal(8025, ports["http"]);
        Assert.Equal("smtp://{mail.bindings.smtp.host}:{mail.bindings.smtp.port}", mail.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task ApiServiceGetsItsDatabaseS3MailAndTheSigningKey()
    {
        var api = _app.Single<ProjectResource>("apiservice");

        var environment = await AppHostModel.PublishedEnvironmentAsync(api);

        Assert.Equal("{wearit.connectionString}", environment["ConnectionStrings__wearit"]);
        Assert.Equal("mongodb", environment["WearIt__Database__Provider"]);
        Assert.Equal("wearit", environment["WearIt__Database__ConnectionStringName"]);
        Assert.Equal("{s3.bindings.http.url}", environment["AWS_ENDPOINT_URL_S3"]);
        Assert.Equal("us-east-1", environment["AWS_REGION"]);
        Assert.Equal("test", environment["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("test", environment["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("s3", environment["WearIt__Storage__Provider"]);
        Assert.Equal("wearit-storage", environment["WearIt__Storage__Bucket"]);
        Assert.Equal("{mail.connectionString}", environment["ConnectionStrings__mail"]);
        Assert.Equal("smtp", environment["WearIt__Mail__Provider"]);
        Assert.Equal("{jwt-signing-key.value}", environment["Jwt__SigningKey"]);
        Assert.Equal("{service-token-key.value}", environment["Jwt__ServiceSigningKey"]);
        Assert.Equal("{gateway.bindings.http.url}", environment["WearIt__Mail__LinkBaseUrl"]);
        Assert.Equal("{tryonservice.bindings.http.url}", environment["services__tryonservice__http__0"]);
    }

    [Fact]
    public async Task TryonServiceGetsItsOwnDatabaseS3AndDiscoversApiService()
    {
        var tryon = _app.Single<ProjectResource>("tryonservice");

        var environment = await AppHostModel.PublishedEnvironmentAsync(tryon);

        Assert.Equal("{wearit-tryon.connectionString}", environment["ConnectionStrings__wearit-tryon"]);
        Assert.DoesNotContain("ConnectionStrings__wearit", environment.Keys);
        Assert.DoesNotContain("ConnectionStrings__mail", environment.Keys);
        Assert.Equal("{s3.bindings.http.url}", environment["AWS_ENDPOINT_URL_S3"]);
        // It checks user tokens with ApiService's public key and cannot mint them: no user-token secret here.
        Assert.DoesNotContain("Jwt__SigningKey", environment.Keys);
        Assert.Equal("{service-token-key.value}", environment["Jwt__ServiceSigningKey"]);
        Assert.Contains(environment.Keys, key => key.StartsWith("services__apiservice__", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("apiservice")]
    [InlineData("tryonservice")]
    public async Task S3ReachesTheServicesAsItsSettingsOnly(string service)
    {
        var project = _app.Single<ProjectResource>(service);

        var environment = await AppHostModel.PublishedEnvironmentAsync(project);

        // The S3 SDK reads AWS_ENDPOINT_URL_S3; a ConnectionStrings__s3 would be read by nothing.
        Assert.DoesNotContain("ConnectionStrings__s3", environment.Keys);
        Assert.Contains(project.Annotations.OfType<ResourceRelationshipAnnotation>(), relationship => relationship.Resource.Name == "s3");
    }

    [Theory]
    [InlineData("apiservice", new[] { "wearit", "s3", "mail" })]
    [InlineData("tryonservice", new[] { "wearit-tryon", "s3", "apiservice" })]
    public void ServicesWaitForWhatTheyUse(string service, string[] dependencies)
    {
        var project = _app.Single<ProjectResource>(service);

        var waitedFor = project.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).ToHashSet();

        Assert.Superset(dependencies.ToHashSet(), waitedFor);
    }

    [Fact]
    public void TheGatewayWaitsForBothServicesAndApiServiceForNeither()
    {
        var waits = (string name) => _app.Single<ProjectResource>(name).Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).ToHashSet();

        // ApiService calls TryonService too: waiting for it would be a cycle.
        Assert.DoesNotContain("tryonservice", waits("apiservice"));
        Assert.Superset(new HashSet<string> { "apiservice", "tryonservice" }, waits("gateway"));
    }

    [Theory]
    [InlineData("jwt-signing-key")]
    [InlineData("service-token-key")]
    public void TheTokenKeysAreGeneratedSecrets(string parameter)
    {
        var key = _app.Single<ParameterResource>(parameter);

        Assert.True(key.Secret);
        Assert.NotNull(key.Default);
    }
}
