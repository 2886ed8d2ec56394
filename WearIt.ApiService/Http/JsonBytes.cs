using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace WearIt.ApiService.Http;

/// <summary>
/// A 200 whose JSON body of a <typeparamref name="T"/> was serialized before (a cached page): written as it is, and
/// described in the OpenAPI document exactly as <c>Ok&lt;T&gt;</c> would be.
/// </summary>
public sealed class JsonBytes<T>(ReadOnlyMemory<byte> utf8Json) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => JsonContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = JsonContentType;
        httpContext.Response.ContentLength = utf8Json.Length;
        await httpContext.Response.Body.WriteAsync(utf8Json, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
