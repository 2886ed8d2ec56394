namespace WearIt.TryonService.Engine.Hosted;

/// <summary>
/// One hosted try-on API (FASHN, Replicate): a prediction is created for one person image and one garment image, then
/// read until it ends. Implementations follow the provider's published API and turn its answers into
/// <see cref="ProviderPrediction"/>s and its errors into <see cref="TryonFailedException"/>s with WearIt's codes.
/// </summary>
public interface IHostedProvider
{
    /// <summary><c>fashn</c> or <c>replicate</c>: stored with the prediction id, in telemetry, in webhook routes.</summary>
    string Name { get; }

    /// <summary>How long to wait between two reads of a running prediction.</summary>
    TimeSpan PollInterval { get; }

    /// <summary>How long one prediction may take, rate-limit waits included, before it is failed as <c>provider_failed</c>.</summary>
    TimeSpan Timeout { get; }

    /// <summary>
    /// Creates a prediction. Never retried by anyone but the engine, and only on <see cref="ProviderRateLimitedException"/>
    /// without an id. <paramref name="webhook"/> is where the provider may tell TryonService it finished (null: poll only).
    /// </summary>
    Task<ProviderPrediction> CreateAsync(ProviderInputs inputs, Uri? webhook, CancellationToken cancellationToken);

    Task<ProviderPrediction> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Asks the provider to stop a prediction WearIt no longer wants (a provider without cancel does nothing).</summary>
    Task CancelAsync(string id, CancellationToken cancellationToken);
}

/// <summary>
/// One provider call's inputs: the person and garment images as URLs (signed, or <c>data:</c> URIs), WearIt's cloth
/// type (<c>upper</c>, <c>lower</c>, <c>dress</c>), the garment's title, the mode and the seed.
/// </summary>
public sealed record ProviderInputs(string PersonImage, string GarmentImage, string ClothType, string GarmentTitle, TryonMode Mode, int Seed);

/// <summary>Where a prediction is.</summary>
public enum ProviderState
{
    Queued,
    Processing,
    Succeeded,
    Failed,
}

/// <summary>A prediction as the provider reports it: its id, state, result URL once it succeeded, and why it failed.</summary>
public sealed record ProviderPrediction(string Id, ProviderState State, Uri? Output = null, TryonFailedException? Failure = null);

/// <summary>
/// The provider refused a call for its rate or concurrency limit. <see cref="Id"/> is set when the prediction was
/// created anyway (it must be read, never created again); <see cref="RetryAfter"/> when the provider said how long to wait.
/// </summary>
public sealed class ProviderRateLimitedException(string message, TimeSpan? retryAfter, string? id = null) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string? Id { get; } = id;
}
