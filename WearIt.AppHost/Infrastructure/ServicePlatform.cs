using Aspire.Hosting.ApplicationModel;

namespace WearIt.AppHost.Infrastructure;

/// <summary>
/// What the chosen mode runs the services on, declared before any service: MongoDB, LocalStack S3 and MailPit
/// containers, or a data folder (LiteDB files, a filesystem object store, a mail pickup folder). Each service then
/// takes its database, object store and (if it sends mail) mail from it with <see cref="Attach"/>.
/// </summary>
public abstract class ServicePlatform
{
    public abstract IResourceBuilder<ProjectResource> Attach(IResourceBuilder<ProjectResource> service, string database, bool sendsMail);

    /// <summary>Declares the mode's resources; <paramref name="databases"/> names each service's database.</summary>
    public static ServicePlatform Add(IDistributedApplicationBuilder builder, InfrastructureMode mode, params string[] databases) =>
        mode == InfrastructureMode.Containers ? new Containers(builder, databases) : new Embedded(builder);

    private sealed class Containers : ServicePlatform
    {
        private readonly Dictionary<string, IResourceBuilder<MongoDBDatabaseResource>> _databases;
        private readonly IResourceBuilder<LocalStackResource> _s3;
        private readonly IResourceBuilder<MailPitResource> _mail;

        public Containers(IDistributedApplicationBuilder builder, string[] databases)
        {
            var mongo = builder.AddMongoDB("mongo").WithDataVolume("wearit-mongo-data");
            _databases = databases.ToDictionary(name => name, name => mongo.AddDatabase(name));
            _s3 = builder.AddLocalStack("s3", bucketName: "wearit-storage");
            _mail = builder.AddMailPit("mail");
        }

        public override IResourceBuilder<ProjectResource> Attach(IResourceBuilder<ProjectResource> service, string database, bool sendsMail)
        {
            service.WithMongoDatabase(_databases[database]).WithS3Storage(_s3);
            return sendsMail ? service.WithSmtpMail(_mail) : service;
        }
    }

    private sealed class Embedded : ServicePlatform
    {
        private readonly string _dataRoot;

        public Embedded(IDistributedApplicationBuilder builder)
        {
            _dataRoot = EmbeddedDataRoot.Resolve(builder);
            Directory.CreateDirectory(_dataRoot);
        }

        public override IResourceBuilder<ProjectResource> Attach(IResourceBuilder<ProjectResource> service, string database, bool sendsMail) =>
            service.WithEmbeddedInfrastructure(_dataRoot, database, sendsMail);
    }
}

public static class ServicePlatformExtensions
{
    /// <summary>The service's database, object store and, when it sends mail, mail, from the mode's <paramref name="platform"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithPlatform(
        this IResourceBuilder<ProjectResource> service, ServicePlatform platform, string database, bool sendsMail = false) =>
        platform.Attach(service, database, sendsMail);
}
