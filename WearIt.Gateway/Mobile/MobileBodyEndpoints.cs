using System.Text.Json;

namespace WearIt.Gateway.Mobile;

/// <summary>
/// <c>/mobile/v1/body</c>: the app's one body photo on ApiService's bodies API. The newest photo is the current one; it
/// is <c>pending</c> while TryonService checks it, then <c>ready</c> with its region masks, or <c>failed</c> with the reason.
/// </summary>
public static class MobileBodyEndpoints
{
    public static RouteGroupBuilder MapMobileBody(this RouteGroupBuilder mobile)
    {
        var body = mobile.MapGroup("/body");
        body.MapPost("/upload", UploadAsync).DisableAntiforgery().WithMetadata(MobileUploads.SizeLimit);
        body.MapGet("/current", CurrentAsync);
        body.MapDelete("/{id:guid}", DeleteAsync);
        body.Map("/ws", MobileBodySocket.AcceptAsync);
        return mobile;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, WearItServices services, BodyUploadSignals uploads, CancellationToken cancellationToken)
    {
        using var form = await MobileUploads.FileAsync(http.Request, "image", "image", cancellationToken);
        var body = await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/bodies", form, cancellationToken: cancellationToken);
        // ApiService took the upload with this token, so the token's subject is the uploader: their sockets here read it now.
        if (MobileSockets.Subject(MobileSockets.Bearer(http)) is { } userId)
        {
            uploads.Notify(userId);
        }

        return MobileJson.Ok(new
        {
            Success = true,
            BodyId = body.Text("id"),
            Status = Status(body),
            Message = "Photo received: we are checking it. It is ready for try-ons in a few seconds.",
        });
    }

    private static async Task<IResult> CurrentAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var bodies = await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/bodies", cancellationToken: cancellationToken);
        var current = Newest(bodies) ?? throw new MobileProblem(StatusCodes.Status404NotFound, "no_body", "You have not uploaded a photo of yourself yet.");
        var image = current.Child("image");
        var masks = current.Child("masks");
        var rejection = current.Child("rejection");
        return MobileJson.Ok(new
        {
            Id = current.Text("id"),
            Status = Status(current),
            ImageUrl = image.Text("url"),
            ThumbnailUrl = image.Text("thumbnailUrl"),
            Width = image.Int("width"),
            Height = image.Int("height"),
            MaskUpper = masks.Text("upper"),
            MaskLower = masks.Text("lower"),
            MaskDress = masks.Text("full"),
            Error = rejection.Text("message"),
            ErrorCode = rejection.Text("code"),
            CreatedAt = current.Text("createdAt"),
        });
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        await services.SendAsync(http, WearItServices.Api, HttpMethod.Delete, $"/api/v1/bodies/{id}", cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Success = true, Message = "The photo is deleted." });
    }

    /// <summary>The newest of ApiService's bodies (it lists them newest first).</summary>
    public static JsonElement? Newest(JsonElement bodies) => bodies.Items().Select(body => (JsonElement?)body).FirstOrDefault();

    /// <summary>WearIt's body status in the app's words: <c>processing</c> is <c>pending</c>, <c>rejected</c> is <c>failed</c>.</summary>
    public static string Status(JsonElement body) => body.Text("status") switch
    {
        "ready" => "ready",
        "rejected" => "failed",
        _ => "pending",
    };
}
