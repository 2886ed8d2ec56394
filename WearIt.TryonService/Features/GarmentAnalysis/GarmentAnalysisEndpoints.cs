using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Features.GarmentAnalysis;

/// <summary>What ApiService asks when a garment is added: can the image stored under this key be read as this cloth type?</summary>
public sealed record CheckGarmentRequest(string? ImageKey, string? ClothType);

/// <summary><c>ready</c> (with whether it was cut out of a person and how many sleeves were found) or <c>rejected</c> and why.</summary>
public sealed record GarmentCheckResponse(string Status, string? Code, string? Message, bool Worn, int Sleeves);

/// <summary>The internal endpoint that reads a garment once, when it is added; the reading is kept for its try-ons.</summary>
public static partial class GarmentAnalysisEndpoints
{
    private static readonly HashSet<string> ClothTypes = ["upper", "lower", "dress"];

    public static IEndpointRouteBuilder MapGarmentAnalysisInternalApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/internal/v1/garments/analysis", CheckAsync)
            .WithTags("Internal")
            .WithName("CheckGarment").ProducesProblems(400, 404)
            .WithSummary("Reads a stored garment image (cut-out, product shot, flat lay, or someone wearing it) and says whether it can be tried on.")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }

    private static async Task<Ok<GarmentCheckResponse>> CheckAsync(
        CheckGarmentRequest request, IObjectStore objects, GarmentReader reader, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        new FieldErrors()
            .When(string.IsNullOrWhiteSpace(request.ImageKey), "imageKey", "The image key is required.")
            .When(request.ClothType is null || !ClothTypes.Contains(request.ClothType), "clothType", "The cloth type is upper, lower or dress.")
            .ThrowIfAny();
        var bytes = await objects.ReadAllBytesAsync(request.ImageKey!, cancellationToken) ?? throw DomainException.NotFound("The garment image");

        var response = await Task.Run(() =>
        {
            try
            {
                var reading = reader.Read(request.ClothType!, bytes);
                return new GarmentCheckResponse("ready", null, null, reading.Worn, (reading.SleeveLeft is null ? 0 : 1) + (reading.SleeveRight is null ? 0 : 1));
            }
            catch (TryonFailedException ex)
            {
                return new GarmentCheckResponse("rejected", ex.Code, ex.Message, false, 0);
            }
        }, cancellationToken);
        LogChecked(loggers.CreateLogger(typeof(GarmentAnalysisEndpoints)), request.ClothType!, response.Status, response.Code);
        return TypedResults.Ok(response);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked a {ClothType} garment: {Status} {Code}")]
    private static partial void LogChecked(ILogger logger, string clothType, string status, string? code);
}
