using System.Text.Json;

namespace WearIt.Gateway.Mobile;

/// <summary>The app's JSON: snake_case both ways, as the first version's API spoke it.</summary>
public static class MobileJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The request's JSON body as <typeparamref name="T"/>; a missing or malformed one is a 400 the app can show.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken)
                ?? throw MobileProblem.BadRequest("Send a JSON object.", "malformed_json");
        }
        catch (JsonException)
        {
            throw MobileProblem.BadRequest("The request body is not valid JSON of the expected shape.", "malformed_json");
        }
    }

    public static IResult Ok(object body) => Results.Json(body, Options);

    /// <summary>A string property of a service's answer, or null.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>An object or array property of a service's answer, or an undefined element.</summary>
    public static JsonElement Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;

    public static int Int(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : 0;

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];
}
