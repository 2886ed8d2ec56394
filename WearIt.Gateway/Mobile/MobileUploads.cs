using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc;

namespace WearIt.Gateway.Mobile;

/// <summary>Re-sends the app's multipart upload to a service under the field name the service reads.</summary>
public static class MobileUploads
{
    /// <summary>ApiService takes pictures up to 15 MiB; the gateway reads no more than that and the form around it.</summary>
    public static readonly RequestSizeLimitAttribute SizeLimit = new(16 * 1024 * 1024);

    /// <summary>The app's file in field <paramref name="appField"/> as a multipart body with it in <paramref name="serviceField"/>.</summary>
    public static async Task<MultipartFormDataContent> FileAsync(HttpRequest request, string appField, string serviceField, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new MobileProblem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                $"Send the picture as multipart/form-data in the field '{appField}'.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new MobileProblem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The picture is too large: at most 15 MB.");
        }
        catch (InvalidDataException)
        {
            throw MobileProblem.BadRequest("The upload is not a readable multipart form, or it is too large.", "malformed_upload");
        }

        var file = form.Files.GetFile(appField)
            ?? throw MobileProblem.BadRequest($"Attach the picture in the form field '{appField}'.");
        var content = new MultipartFormDataContent();
        var part = new StreamContent(file.OpenReadStream());
        if (MediaTypeHeaderValue.TryParse(file.ContentType, out var type))
        {
            part.Headers.ContentType = type;
        }

        content.Add(part, serviceField, string.IsNullOrWhiteSpace(file.FileName) ? "upload" : file.FileName);
        return content;
    }
}
