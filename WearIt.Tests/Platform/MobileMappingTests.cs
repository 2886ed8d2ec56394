using System.Net;
using System.Text;
using System.Text.Json;
using WearIt.Gateway.Mobile;

namespace WearIt.Tests.Platform;

/// <summary>How the gateway's mobile API words what the services answer: try-on states and problems.</summary>
public sealed class MobileMappingTests
{
    [Theory]
    [InlineData("pending_payment", "pending")]
    [InlineData("queued", "pending")]
    [InlineData("running", "pending")]
    [InlineData("succeeded", "ready")]
    [InlineData("failed", "failed")]
    [InlineData("canceled", "failed")]
    public void ATryonsStatusIsTheAppsWord(string wearIt, string app) =>
        Assert.Equal(app, MobileTryonEndpoints.Tryon(Tryon(wearIt)).Status);

    [Fact]
    public void AFailedTryonCarriesItsReason()
    {
        var failed = MobileTryonEndpoints.Tryon(Tryon("failed", """, "error": {"code": "garment_not_found", "message": "No garment could be made out."}"""));

        Assert.Equal(("failed", "garment_not_found", "No garment could be made out.", null), (failed.Status, failed.ErrorCode, failed.Error, failed.OutputUrl));
        Assert.Equal("0197a000-0000-7000-8000-000000000002", failed.ClothingId);
        Assert.Equal(3, failed.Version);
    }

    [Fact]
    public async Task AValidationProblemBecomesOneSentenceWithItsCode()
    {
        using var response = Response(HttpStatusCode.BadRequest, """
            {"title": "One or more fields are invalid.", "code": "validation_failed",
             "errors": {"email": ["An email is required."], "password": ["The password must be 8 to 128 characters."]}}
            """);

        var problem = await MobileProblem.FromUpstreamAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal((400, "validation_failed"), (problem.Status, problem.Code));
        Assert.Equal("An email is required. The password must be 8 to 128 characters.", problem.Detail);
    }

    [Fact]
    public async Task AnAnswerThatIsNotAProblemStillGetsACodeADetailAndItsRetryAfter()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, "<html>slow down</html>", "text/html");
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var problem = await MobileProblem.FromUpstreamAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal((429, "rate_limited", "7"), (problem.Status, problem.Code, problem.RetryAfter));
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    private static JsonElement Tryon(string status, string extra = "") => JsonSerializer.Deserialize<JsonElement>($$"""
        {"id": "0197a000-0000-7000-8000-000000000001", "bodyId": "0197a000-0000-7000-8000-000000000003",
         "items": [{"source": "wardrobe", "id": "0197a000-0000-7000-8000-000000000002"}], "status": "{{status}}",
         "version": 3, "createdAt": "2026-12-04T01:00:00Z", "result": null{{extra}}}
        """);

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string type = "application/problem+json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, type) };
}
