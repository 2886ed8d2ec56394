namespace WearIt.TryonService.Features.Tryons;

/// <summary>A try-on job as stored: what to try on (object keys resolved when it was accepted) and how far it got.</summary>
public sealed class TryonJob
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid BodyId { get; set; }

    public List<TryonItem> Items { get; set; } = [];

    /// <summary>The body and sorted items; versions count up per outfit key.</summary>
    public string OutfitKey { get; set; } = "";

    public int Version { get; set; }

    /// <summary><c>fast</c> or <c>quality</c>.</summary>
    public string Mode { get; set; } = "fast";

    public int Seed { get; set; }

    /// <summary>The client's Idempotency-Key, prefixed with the user id; unique when present.</summary>
    public string? IdempotencyKey { get; set; }

    public string Status { get; set; } = TryonStatus.Queued;

    public string? Stage { get; set; }

    public int Percent { get; set; }

    public string BodyImageKey { get; set; } = "";

    /// <summary>The body's analysis from its upload (null for a body analysed before this field existed).</summary>
    public BodyAnalysis.BodyAnalysisSnapshot? BodyAnalysis { get; set; }

    public string? ResultKey { get; set; }

    public int? ResultWidth { get; set; }

    public int? ResultHeight { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>How many times a worker has claimed the job.</summary>
    public int Attempts { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>The user deleted the job before it ended: it is gone from their view, and removed once it has ended and any refund is confirmed.</summary>
    public bool DeleteRequested { get; set; }

    /// <summary>Set when a charged job ends without a result; cleared once ApiService confirms the refund.</summary>
    public bool RefundPending { get; set; }

    /// <summary>Calls a hosted provider has made for the job (prediction ids, a first garment's stored result), so a claim after a crash resumes them.</summary>
    public List<Engine.Hosted.ProviderStep> ProviderSteps { get; set; } = [];

    /// <summary>The W3C traceparent of the request that accepted the job (and made its ApiService calls).</summary>
    public string? TraceParent { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>One garment of a job, with what the engine needs of it.</summary>
public sealed class TryonItem
{
    public string Source { get; set; } = "";

    public Guid Id { get; set; }

    public string ClothType { get; set; } = "";

    public string ImageKey { get; set; } = "";

    /// <summary>The product's title or the wardrobe item's name (a hosted model may be told what the garment is).</summary>
    public string Title { get; set; } = "";
}

public static class TryonStatus
{
    /// <summary>Created, its credit not yet confirmed: no worker claims it; the payment sweep queues or removes it.</summary>
    public const string PendingPayment = "pending_payment";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static bool IsFinished(string status) => status is Succeeded or Failed or Canceled;

    /// <summary>
    /// The moves a job may make: pending payment to queued (paid) or cancelled; queued to running (claimed) or
    /// cancelled; running to queued (requeued), running (claimed again after its lease ran out), or an end. Nothing
    /// leaves an end.
    /// </summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (PendingPayment, Queued or Canceled) => true,
        (Queued, Running or Canceled) => true,
        (Running, Queued or Running or Succeeded or Failed or Canceled) => true,
        _ => false,
    };
}

/// <summary>One event of a user's try-on stream, numbered per user; the durable log the WebSocket replays.</summary>
public sealed class TryonEvent
{
    /// <summary><c>{userId:N}:{seq:D12}</c>: two writers cannot take the same number.</summary>
    public string Id { get; set; } = "";

    public Guid UserId { get; set; }

    public long Seq { get; set; }

    /// <summary><c>tryon.queued</c>, <c>tryon.progress</c>, <c>tryon.succeeded</c>, <c>tryon.failed</c> or <c>tryon.canceled</c>.</summary>
    public string Type { get; set; } = "";

    public Guid JobId { get; set; }

    public string? Stage { get; set; }

    public int? Percent { get; set; }

    /// <summary>The object key of a preview image, for progress events.</summary>
    public string? PreviewKey { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTime CreatedAt { get; set; }
}
