namespace WearIt.TryonService.Features.Tryons;

public sealed record TryonItemDto(string? Source, Guid? Id);

/// <summary>The body of <c>POST /tryons</c> (and of the WebSocket's <c>start</c>).</summary>
public sealed record CreateTryonRequest(Guid? BodyId, IReadOnlyList<TryonItemDto>? Items, string? Mode, int? Seed);

public sealed record TryonAccepted(Guid Id, string Status, int Version);

public sealed record TryonResultDto(Uri Url, int Width, int Height, string ContentType);

public sealed record TryonErrorDto(string Code, string Message);

public sealed record TryonResponse(
    Guid Id, Guid BodyId, IReadOnlyList<TryonItemDto> Items, string Mode, int Seed, string Status, string? Stage, int Percent, int Version,
    TryonResultDto? Result, TryonErrorDto? Error, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record TryonPage(IReadOnlyList<TryonResponse> Items, int Page, int PageSize, int Total);

/// <summary>The <c>WearIt:Tryon</c> configuration section.</summary>
public sealed class TryonOptions
{
    public const string SectionName = "WearIt:Tryon";

    /// <summary>How many jobs one instance runs at once; 0 makes an instance that serves the API and sockets only.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How long a claim lasts without progress before another worker may take the job.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Claims a job gets before it is failed and refunded.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often an idle worker looks for queued jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a WebSocket send may wait on a client that does not read before the client is dropped.</summary>
    public TimeSpan SocketSendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often unconfirmed payments and refunds are settled.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old a job still waiting for its payment must be before the sweep settles it (its request had that long).</summary>
    public TimeSpan PaymentGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Try-ons one user may start per minute (over HTTP and the socket together); the excess is 429 <c>tryon_rate_limited</c>.</summary>
    public int MaxTryonsPerMinute { get; set; } = 20;

    /// <summary>Try-on sockets one user may hold open on one instance; the next is closed with 4429 <c>too_many_sockets</c>.</summary>
    public int MaxSocketsPerUser { get; set; } = 5;

    /// <summary>How long signed result and preview URLs stay valid.</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    // WearIt:Tryon:PublicBaseUrl, in the same section, is the hosted engine's (HostedEngineOptions).
}
