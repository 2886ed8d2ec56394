namespace Aspire.Hosting.ApplicationModel;

/// <summary>A MailPit container: an SMTP server that keeps every message for its web UI.</summary>
public sealed class MailPitResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The SMTP endpoint's name.</summary>
    public const string SmtpEndpointName = "smtp";

    /// <summary>The web UI endpoint's name.</summary>
    public const string HttpEndpointName = "http";

    private EndpointReference? _smtpEndpoint;

    /// <summary>The SMTP endpoint.</summary>
    public EndpointReference SmtpEndpoint => _smtpEndpoint ??= new(this, SmtpEndpointName);

    /// <summary><c>smtp://host:port</c>.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"smtp://{SmtpEndpoint.Property(EndpointProperty.HostAndPort)}");
}
