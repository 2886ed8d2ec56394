namespace WearIt.TryonService.Engine.Hosted;

/// <summary>
/// The job a hosted try-on runs for, as the engine sees it: where its objects live, which provider calls it already made
/// (so a job claimed again after a crash reads the prediction it created instead of paying for another), and whether
/// the user cancelled it (then the prediction is cancelled at the provider too; a shutdown leaves it running).
/// </summary>
public interface IHostedTryonJob
{
    Guid Id { get; }

    /// <summary>The object key prefix of the job's files (inputs handed to the provider, a first garment's result).</summary>
    string ObjectPrefix { get; }

    /// <summary>Provider calls made so far, by step (0: the first garment, 1: the second on its result).</summary>
    IReadOnlyList<ProviderStep> Steps { get; }

    bool CancelRequested { get; }

    /// <summary>Stores the step on the job (replacing the one with its index) before anything else happens.</summary>
    Task SaveStepAsync(ProviderStep step, CancellationToken cancellationToken);
}

/// <summary>One provider call of a job: which provider, its prediction id, and the stored result once downloaded.</summary>
public sealed class ProviderStep
{
    public int Index { get; set; }

    public string Provider { get; set; } = "";

    public string PredictionId { get; set; } = "";

    /// <summary>The object key of the downloaded result, once it is in WearIt's store.</summary>
    public string? ResultKey { get; set; }
}
