using System.Text.Json;

namespace WearIt.Gateway.Mobile;

/// <summary><c>/mobile/v1/user</c>: the profile, credits and referral code, from ApiService's account API.</summary>
public static class MobileUserEndpoints
{
    public static RouteGroupBuilder MapMobileUser(this RouteGroupBuilder mobile)
    {
        var user = mobile.MapGroup("/user");
        user.MapGet("/profile", ProfileAsync);
        user.MapGet("/credits", CreditsAsync);
        user.MapGet("/referral/code", ReferralCodeAsync);
        return mobile;
    }

    private static async Task<IResult> ProfileAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var me = services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/users/me", cancellationToken: cancellationToken);
        var credits = services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/users/me/credits", cancellationToken: cancellationToken);
        var (user, balance) = (await me, await credits);
        var answers = user.Child("stylePreferences");
        return MobileJson.Ok(new
        {
            Id = user.Text("id"),
            Email = user.Text("email"),
            FirstName = user.Text("name"),
            EmailVerified = user.TryGetProperty("emailVerified", out var verified) && verified.ValueKind == JsonValueKind.True,
            Answers = new { Gender = answers.Text("gender"), Age = answers.Text("age"), Brand = answers.Text("brand") },
            Credits = balance.Int("balance"),
            ReferralCode = user.Text("referralCode"),
            CreatedAt = user.Text("createdAt"),
        });
    }

    private static async Task<IResult> CreditsAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var credits = await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/users/me/credits", cancellationToken: cancellationToken);
        // The balance last changed with the newest ledger entry; an account without any has had its balance since it was made.
        var updatedAt = credits.Child("entries").Items()
            .Select(entry => entry.TryGetProperty("createdAt", out var at) && at.TryGetDateTime(out var time) ? time : (DateTime?)null)
            .Max()
            ?? (await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/users/me", cancellationToken: cancellationToken))
                .GetProperty("createdAt").GetDateTime();
        return MobileJson.Ok(new { Credits = credits.Int("balance"), UpdatedAt = updatedAt });
    }

    private static async Task<IResult> ReferralCodeAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var user = await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/users/me", cancellationToken: cancellationToken);
        return MobileJson.Ok(new { ReferralCode = user.Text("referralCode") });
    }
}
