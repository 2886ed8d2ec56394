using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Features.BodyAnalysis;

/// <summary>What ApiService asks: analyse the body photo stored under this key.</summary>
public sealed record AnalyseBodyRequest(string? ImageKey);

/// <summary>
/// The answer: <c>ready</c> with the analysis and its four masks (PNG, base64: person, upper, lower, full), or
/// <c>rejected</c> with the reason's code and message.
/// </summary>
public sealed record BodyAnalysisResponse(string Status, string? Code, string? Message, BodyAnalysisSnapshot? Analysis, BodyAnalysisMasks? Masks);

/// <summary>The four masks of an analysis as PNGs.</summary>
public sealed record BodyAnalysisMasks(byte[] Person, byte[] Upper, byte[] Lower, byte[] Full);

/// <summary>The internal endpoint ApiService calls once per body photo, where the vision models are.</summary>
public static partial class BodyAnalysisEndpoints
{
    // The photo is analysed at the quality try-on's size; a try-on at another size scales the analysis.
    private const int AnalysisLongSide = PoseTryonEngine.QualityLongSide;
    private static readonly string[] ClothTypes = ["upper", "lower", "dress"];

    public static IEndpointRouteBuilder MapBodyAnalysisInternalApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/internal/v1/users/{userId:guid}/bodies/{bodyId:guid}/analysis", AnalyseAsync)
            .WithTags("Internal")
            .WithName("AnalyseBody").ProducesProblems(400, 404)
            .WithSummary("Analyses a stored body photo: person, pose, mask, the regions garments may cover, and whether it can be dressed.")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }

    private static async Task<Ok<BodyAnalysisResponse>> AnalyseAsync(
        Guid userId, Guid bodyId, AnalyseBodyRequest request, IObjectStore objects, PersonAnalyzer analyzer, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var prefix = $"users/{userId}/bodies/{bodyId}/";
        new FieldErrors()
            .When(request.ImageKey is null || !request.ImageKey.StartsWith(prefix, StringComparison.Ordinal), "imageKey", $"The image key must be under {prefix}.")
            .ThrowIfAny();

        var bytes = await objects.ReadAllBytesAsync(request.ImageKey!, cancellationToken) ?? throw DomainException.NotFound("The body photo");

        var logger = loggers.CreateLogger(typeof(BodyAnalysisEndpoints));
        var response = await Task.Run(() => Analyse(bytes, analyzer), cancellationToken);
        LogAnalysed(logger, bodyId, userId, response.Status, response.Code);
        return TypedResults.Ok(response);
    }

    private static BodyAnalysisResponse Analyse(byte[] photo, PersonAnalyzer analyzer)
    {
        try
        {
            using var bitmap = EngineImages.DecodeUpright(photo, AnalysisLongSide, "body_image_invalid");
            var person = analyzer.Analyse(bitmap);
            var wears = ClothTypes.Where(clothType => CanWear(person, clothType)).ToList();
            var masks = new BodyAnalysisMasks(
                MaskImages.Encode(person.PersonMask, person.Width, person.Height),
                MaskImages.Encode(person.UpperRegion, person.Width, person.Height),
                MaskImages.Encode(person.LowerRegion, person.Width, person.Height),
                MaskImages.Encode(person.FullRegion, person.Width, person.Height));
            return new BodyAnalysisResponse("ready", null, null, BodyAnalysisSnapshot.From(person, wears), masks);
        }
        catch (TryonFailedException ex)
        {
            return new BodyAnalysisResponse("rejected", ex.Code, ex.Message, null, null);
        }
    }

    private static bool CanWear(PersonAnalysis person, string clothType)
    {
        try
        {
            VisibilityGate.Require(person, [clothType]);
            return true;
        }
        catch (TryonFailedException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysed body {BodyId} of user {UserId}: {Status} {Code}")]
    private static partial void LogAnalysed(ILogger logger, Guid bodyId, Guid userId, string status, string? code);
}
