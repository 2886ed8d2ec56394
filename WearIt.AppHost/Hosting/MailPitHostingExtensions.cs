using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Adds MailPit, which catches the mail WearIt sends in containers mode.</summary>
public static class MailPitHostingExtensions
{
    /// <summary>The MailPit image.</summary>
    public const string Image = "axllent/mailpit";

    /// <summary>A pinned release.</summary>
    public const string Tag = "v1.22.3";

    /// <summary>MailPit's SMTP port inside the container.</summary>
    public const int SmtpPort = 1025;

    /// <summary>MailPit's web UI port inside the container.</summary>
    public const int HttpPort = 8025;

    /// <summary>Adds a MailPit container with its SMTP endpoint and web UI.</summary>
    public static IResourceBuilder<MailPitResource> AddMailPit(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new MailPitResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithEndpoint(targetPort: SmtpPort, name: MailPitResource.SmtpEndpointName)
            .WithHttpEndpoint(targetPort: HttpPort, name: MailPitResource.HttpEndpointName)
            .WithHttpHealthCheck("/readyz", endpointName: MailPitResource.HttpEndpointName);

    /// <summary>Sends the service's mail through MailPit over SMTP.</summary>
    public static IResourceBuilder<T> WithSmtpMail<T>(this IResourceBuilder<T> service, IResourceBuilder<MailPitResource> mail)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        service.WithReference(mail)
            .WaitFor(mail)
            .WithEnvironment("WearIt__Mail__Provider", "smtp");
}
