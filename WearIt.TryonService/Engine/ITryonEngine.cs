namespace WearIt.TryonService.Engine;

/// <summary>Dresses a body photo in garments.</summary>
public interface ITryonEngine
{
    /// <summary>
    /// Runs one try-on, reporting each stage with a percentage and, where there is something to see, a preview.
    /// Throws <see cref="TryonFailedException"/> when the inputs cannot be tried on.
    /// </summary>
    Task<TryonResult> RunAsync(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken);
}

/// <summary><c>fast</c> caps the output's long side lower than <c>quality</c>.</summary>
public enum TryonMode
{
    Fast,
    Quality,
}

/// <summary>
/// What to try on: the body photo's bytes, each garment's cloth type and image bytes, and the analysis the photo got
/// at upload (null: the engine analyses the photo itself).
/// </summary>
public sealed record TryonRequest(byte[] BodyPhoto, IReadOnlyList<GarmentInput> Garments, TryonMode Mode, int Seed, Vision.PersonAnalysis? Person = null)
{
    /// <summary>The job the try-on runs for, where a hosted engine keeps its provider's ids (null outside a job: benchmarks, tests).</summary>
    public Hosted.IHostedTryonJob? Job { get; init; }
}

/// <summary>One garment: <c>upper</c>, <c>lower</c> or <c>dress</c>, its image (cut-out PNG or a photo) and its title.</summary>
public sealed record GarmentInput(string ClothType, byte[] Image, string Title = "");

/// <summary>A stage reached: validating, detecting, fitting, compositing or done.</summary>
public sealed record TryonProgress(string Stage, int Percent, byte[]? PreviewJpeg);

/// <summary>The result image (PNG, lossless so untouched pixels stay exact) and the regions garments were drawn in.</summary>
public sealed record TryonResult(byte[] Image, string ContentType, int Width, int Height, IReadOnlyList<SkiaSharp.SKRectI> GarmentRegions);

/// <summary>
/// A try-on that cannot succeed, with a stable machine code such as <c>no_person_detected</c>. <see cref="Retryable"/>
/// when another attempt may succeed (a hosted provider's fault or timeout): the job is run again while it has attempts.
/// </summary>
public sealed class TryonFailedException(string code, string message, bool retryable = false, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;

    public bool Retryable { get; } = retryable;
}
