namespace WearIt.Gateway;

/// <summary>
/// The services' own routes that are not the public's (internal calls, API documents): more specific than the proxy's
/// catch-all, so they win. Health is the gateway's own <c>/health</c> and <c>/alive</c>.
/// </summary>
public static class GatewayEndpoints
{
    private static readonly string[] Private = ["/internal/{**rest}", "/openapi/{**rest}", "/scalar/{**rest}"];

    public static IEndpointRouteBuilder MapPrivateRoutesAsNotFound(this IEndpointRouteBuilder app)
    {
        foreach (var pattern in Private)
        {
            app.Map(pattern, () => Results.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "There is no such route here.",
                extensions: new Dictionary<string, object?> { ["code"] = "not_found" }));
        }

        return app;
    }
}
