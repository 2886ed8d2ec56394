namespace WearIt.AppHost.Infrastructure;

/// <summary>Where WearIt's database, object storage and mail come from.</summary>
public enum InfrastructureMode
{
    /// <summary>MongoDB, LocalStack S3 and MailPit containers.</summary>
    Containers,

    /// <summary>LiteDB files, a filesystem object store and a mail pickup folder under the data root.</summary>
    Embedded,
}

/// <summary>The infrastructure mode chosen for this run and why it was chosen.</summary>
public sealed record InfrastructureChoice(InfrastructureMode Mode, string Reason);
