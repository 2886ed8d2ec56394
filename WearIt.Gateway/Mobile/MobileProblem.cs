using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace WearIt.Gateway.Mobile;

/// <summary>
/// An error answered to the app: WearIt's status and code, with <c>detail</c> a sentence the app shows as it is (the
/// first version read <c>detail</c> as a string). Services' problem details are turned into one by <see cref="FromUpstreamAsync"/>.
/// </summary>
public sealed class MobileProblem(int status, string code, string detail, string? retryAfter = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Detail { get; } = detail;

    public string? RetryAfter { get; } = retryAfter;

    public static MobileProblem BadRequest(string detail, string code = "validation_failed") => new(StatusCodes.Status400BadRequest, code, detail);

    public static MobileProblem Unavailable(string service) =>
        new(StatusCodes.Status503ServiceUnavailable, "service_unavailable", $"WearIt's {service} cannot be reached right now; try again in a moment.", "5");

    /// <summary>The problem a service answered, its field errors folded into the one sentence.</summary>
    public static async Task<MobileProblem> FromUpstreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter?.ToString();
        string? code = null, detail = null;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                code = Text(root, "code");
                detail = FieldMessages(root) ?? Text(root, "detail") ?? Text(root, "title");
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, an empty 401): the status alone says what happened.
        }

        return new MobileProblem(status, code ?? DefaultCode(response.StatusCode), detail ?? DefaultDetail(response.StatusCode), retryAfter);
    }

    private static string? FieldMessages(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var messages = errors.EnumerateObject()
            .SelectMany(field => field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(message => message.ValueKind == JsonValueKind.String)
            .Select(message => message.GetString()!)
            .Distinct()
            .ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "unauthorized",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.NotFound => "not_found",
        HttpStatusCode.RequestEntityTooLarge => "payload_too_large",
        HttpStatusCode.TooManyRequests => "rate_limited",
        _ => (int)status >= 500 ? "service_unavailable" : "bad_request",
    };

    private static string DefaultDetail(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Log in again: your session has ended or the token is not valid.",
        HttpStatusCode.Forbidden => "This is not allowed.",
        HttpStatusCode.NotFound => "It was not found.",
        HttpStatusCode.RequestEntityTooLarge => "The upload is too large.",
        HttpStatusCode.TooManyRequests => "Too many requests; wait a moment and try again.",
        _ => (int)status >= 500 ? "Something went wrong on our side; try again in a moment." : "The request was not understood.",
    };

    /// <summary>The problem-details answer.</summary>
    public IResult ToResult(HttpContext http)
    {
        if (RetryAfter is not null)
        {
            http.Response.Headers.RetryAfter = RetryAfter;
        }

        return Results.Problem(statusCode: Status, title: ReasonPhrases.GetReasonPhrase(Status), detail: Detail,
            extensions: new Dictionary<string, object?> { ["code"] = Code });
    }
}
