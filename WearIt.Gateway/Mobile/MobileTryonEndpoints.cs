using System.Text.Json;

namespace WearIt.Gateway.Mobile;

public sealed record MobileTryonRequest(string? BodyId, string? ClothingId);

/// <summary><c>/mobile/v1/tryon</c>: one garment of the app's on its body photo, on TryonService's try-on API.</summary>
public static class MobileTryonEndpoints
{
    public static RouteGroupBuilder MapMobileTryon(this RouteGroupBuilder mobile)
    {
        mobile.MapPost("/tryon", StartAsync);
        mobile.MapGet("/tryon/body/{id:guid}", ListOfBodyAsync);
        mobile.Map("/tryon/ws", MobileTryonSocket.AcceptAsync);
        return mobile;
    }

    private static async Task<IResult> StartAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var request = await MobileJson.ReadAsync<MobileTryonRequest>(http.Request, cancellationToken);
        if (!Guid.TryParse(request.BodyId, out var bodyId) || !Guid.TryParse(request.ClothingId, out var clothingId))
        {
            throw MobileProblem.BadRequest("Name the photo (body_id) and the garment (clothing_id) to try on.");
        }

        var accepted = await services.SendAsync(http, WearItServices.Tryon, HttpMethod.Post, "/api/v1/tryons",
            WearItServices.JsonBody(new { bodyId, items = new[] { new { source = "wardrobe", id = clothingId } }, mode = "fast" }),
            cancellationToken: cancellationToken);
        return MobileJson.Ok(new { TryonId = accepted.Text("id"), Status = "pending", Version = accepted.Int("version") });
    }

    private static async Task<IResult> ListOfBodyAsync(Guid id, HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var tryons = new List<object>();
        for (var page = 1; ; page++)
        {
            var list = await services.SendAsync(http, WearItServices.Tryon, HttpMethod.Get, $"/api/v1/tryons?bodyId={id}&page={page}&pageSize=100",
                cancellationToken: cancellationToken);
            tryons.AddRange(list.Child("items").Items().Select(Tryon));
            if (list.Child("items").GetArrayLength() == 0 || tryons.Count >= list.Int("total"))
            {
                break;
            }
        }

        return MobileJson.Ok(new { Tryons = tryons });
    }

    /// <summary>A try-on in the app's shape (TryonService's <c>TryonResponse</c>).</summary>
    public static MobileTryon Tryon(JsonElement tryon)
    {
        var error = tryon.Child("error");
        return new MobileTryon(
            tryon.Text("id"), tryon.Text("bodyId"), tryon.Child("items").Items().Select(item => item.Text("id")).FirstOrDefault(),
            tryon.Child("result").Text("url"), Status(tryon.Text("status")), error.Text("message"), error.Text("code"),
            tryon.Text("createdAt"), tryon.Int("version"));
    }

    /// <summary>WearIt's try-on status in the app's words: <c>pending</c> until it is <c>ready</c>; a failed or canceled one is <c>failed</c>.</summary>
    public static string Status(string? status) => status switch
    {
        "succeeded" => "ready",
        "failed" or "canceled" => "failed",
        _ => "pending",
    };
}

public sealed record MobileTryon(
    string? Id, string? BodyId, string? ClothingId, string? OutputUrl, string Status, string? Error, string? ErrorCode, string? CreatedAt, int Version);
