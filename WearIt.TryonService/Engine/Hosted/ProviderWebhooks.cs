using WearIt.ServiceDefaults.OpenApi;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>
/// Where hosted providers say a prediction finished (only when <c>WearIt:Tryon:PublicBaseUrl</c> is set). A webhook is
/// a hint to read the prediction now; nothing is taken from its body but the id. Replicate's are signed and a webhook
/// that fails the check changes nothing (400); FASHN's are not signed, and a hint costs one early read at most.
/// </summary>
public static class ProviderWebhooks
{
    private const long MaxBodyBytes = 1024 * 1024;

    public static string PathFor(string provider) => $"/webhooks/tryon-providers/{provider}";

    public static IEndpointRouteBuilder MapProviderWebhooks(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<IHostedProvider>() is not { } provider)
        {
            return app;
        }

        app.MapPost(PathFor(provider.Name), HandleAsync)
            .WithTags("Webhooks")
            .WithName("TryonProviderWebhook").ProducesProblems(400)
            .WithSummary($"The {provider.Name} try-on provider's webhook: a hint that a prediction finished.")
            .AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        return app;
    }

    private static async Task<NoContent> HandleAsync(
        HttpRequest request, IHostedProvider provider, ProviderSignals signals, IOptions<ReplicateOptions> replicate, TimeProvider time, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (provider.Name == ReplicateProvider.ProviderName)
        {
            var secret = replicate.Value.WebhookSecret;
            if (string.IsNullOrEmpty(secret) || !ReplicateWebhookSignature.IsValid(secret,
                    request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], body, time.GetUtcNow()))
            {
                throw new DomainException(ErrorKind.Validation, "webhook_signature_invalid", "The webhook's signature is missing, wrong or too old.");
            }
        }

        string? id;
        try
        {
            using var document = JsonDocument.Parse(body);
            id = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            id = null;
        }

        if (string.IsNullOrEmpty(id))
        {
            throw new DomainException(ErrorKind.Validation, "webhook_invalid", "The webhook names no prediction.");
        }

        signals.Signal(provider.Name, id);
        return TypedResults.NoContent();
    }
}
