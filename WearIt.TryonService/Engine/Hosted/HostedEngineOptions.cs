namespace WearIt.TryonService.Engine.Hosted;

/// <summary>What the hosted engine reads of the <c>WearIt:Tryon</c> section (the try-on feature binds the rest).</summary>
public sealed class HostedEngineOptions
{
    public const string SectionName = "WearIt:Tryon";

    /// <summary>
    /// Where a hosted try-on provider can reach TryonService (webhooks, signed input image URLs); optional. Without it,
    /// images go to the provider as <c>data:</c> URIs and results are polled.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}
