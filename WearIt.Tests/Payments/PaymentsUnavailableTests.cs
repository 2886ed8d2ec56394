using System.Net;
using System.Text;
using WearIt.Tests.Support;

namespace WearIt.Tests.Payments;

/// <summary>An ApiService without Stripe keys: every payments route says so, and nothing else changes.</summary>
public sealed class PaymentsUnavailableTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    [Theory]
    [InlineData("GET", "/api/v1/payments/packs")]
    [InlineData("POST", "/api/v1/payments/checkout")]
    [InlineData("GET", "/api/v1/payments")]
    [InlineData("POST", "/api/v1/payments/stripe/webhook")]
    public async Task EveryPaymentsRouteIs503PaymentsUnavailable(string method, string path)
    {
        var account = await api.SignupAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new("Bearer", account.AccessToken);
        if (method == "POST")
        {
            request.Content = new StringContent("{\"pack\":\"pack-5\"}", Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=00");
        }

        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "payments_unavailable");
        Assert.Equal(20, await api.BalanceAsync(account));
    }
}
