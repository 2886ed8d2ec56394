using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WearIt.Gateway.Mobile;

public sealed record MobileSignupRequest(string? Email, string? Password, string? FirstName, JsonElement? Answers);

public sealed record MobileLoginRequest(string? Email, string? Password);

public sealed record MobileEmailRequest(string? Email);

public sealed record MobileCodeRequest(string? Email, string? Code);

public sealed record MobileResetRequest(string? Email, string? Code, string? NewPassword);

/// <summary>
/// <c>/mobile/v1/auth</c>: sign-up, login and password reset on ApiService's auth API. The app gets one lasting access
/// token (<see cref="MobileOptions.MobileTokenLifetime"/>) instead of a pair it could not refresh: the gateway trades
/// the session's refresh token for it at once and keeps nothing.
/// </summary>
public static class MobileAuthEndpoints
{
    // The sign-up questions the app asks; they are kept as the account's style preferences.
    private static readonly string[] Questions = ["gender", "age", "brand"];
    private const int MaxAnswerLength = 200;

    public static RouteGroupBuilder MapMobileAuth(this RouteGroupBuilder mobile)
    {
        var auth = mobile.MapGroup("/auth");
        auth.MapPost("/signup", SignupAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapPost("/forgot-password", ForgotPasswordAsync);
        auth.MapPost("/forgot-password/verify", VerifyCodeAsync);
        auth.MapPost("/reset-password", ResetPasswordAsync);
        return mobile;
    }

    private static async Task<IResult> SignupAsync(HttpContext http, WearItServices services, IOptions<MobileOptions> options, CancellationToken cancellationToken)
    {
        var request = await MobileJson.ReadAsync<MobileSignupRequest>(http.Request, cancellationToken);
        var answers = ReadAnswers(request.Answers);
        var signup = await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/auth/signup",
            WearItServices.JsonBody(new { email = request.Email, password = request.Password, name = request.FirstName }), cancellationToken: cancellationToken);
        var tokens = signup.Child("tokens");
        if (answers.Count > 0)
        {
            await services.SendAsync(http, WearItServices.Api, HttpMethod.Patch, "/api/v1/users/me",
                WearItServices.JsonBody(new { stylePreferences = answers }), tokens.Text("access_token"), cancellationToken);
        }

        var token = await LastingTokenAsync(http, services, options.Value, tokens.Text("refresh_token"), cancellationToken);
        return MobileJson.Ok(new
        {
            token.Token,
            token.TokenType,
            token.ExpiresIn,
            Message = $"Welcome to WearIt! We sent a link to {signup.Child("user").Text("email")}: open it to confirm your address, and your free credits arrive.",
        });
    }

    private static async Task<IResult> LoginAsync(HttpContext http, WearItServices services, IOptions<MobileOptions> options, CancellationToken cancellationToken)
    {
        var request = await MobileJson.ReadAsync<MobileLoginRequest>(http.Request, cancellationToken);
        var tokens = await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/auth/login",
            WearItServices.JsonBody(new { email = request.Email, password = request.Password }), cancellationToken: cancellationToken);
        var token = await LastingTokenAsync(http, services, options.Value, tokens.Text("refresh_token"), cancellationToken);
        return MobileJson.Ok(token);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/auth/logout", WearItServices.JsonBody(new { }), cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Message = "You are logged out." });
    }

    private static async Task<IResult> ForgotPasswordAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var request = await MobileJson.ReadAsync<MobileEmailRequest>(http.Request, cancellationToken);
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            throw MobileProblem.BadRequest("Enter the email address of your account: the request carried none.");
        }

        await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/auth/password-reset/request",
            WearItServices.JsonBody(new { email = request.Email }), cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Message = "If an account uses this address, we sent it a 6-digit code. It works for 15 minutes." });
    }

    private static async Task<IResult> VerifyCodeAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var request = await MobileJson.ReadAsync<MobileCodeRequest>(http.Request, cancellationToken);
        var check = await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/auth/password-reset/check",
            WearItServices.JsonBody(new { email = request.Email, code = request.Code }), cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Valid = check.TryGetProperty("valid", out var valid) && valid.ValueKind == JsonValueKind.True });
    }

    private static async Task<IResult> ResetPasswordAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var request = await MobileJson.ReadAsync<MobileResetRequest>(http.Request, cancellationToken);
        await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/auth/password-reset/confirm",
            WearItServices.JsonBody(new { email = request.Email, code = request.Code, newPassword = request.NewPassword }), cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Message = "Your password has been changed. Log in with the new one." });
    }

    private sealed record MobileToken(string Token, string TokenType, int ExpiresIn);

    /// <summary>Trades the new session's refresh token for the app's one lasting access token (an internal ApiService route).</summary>
    private static async Task<MobileToken> LastingTokenAsync(
        HttpContext http, WearItServices services, MobileOptions options, string? refreshToken, CancellationToken cancellationToken)
    {
        var lasting = await services.SendAsServiceAsync(http, WearItServices.Api, HttpMethod.Post, "/internal/v1/auth/lasting-tokens",
            new { refreshToken, lifetimeSeconds = (int)options.MobileTokenLifetime.TotalSeconds }, cancellationToken);
        return new MobileToken(lasting.Text("access_token") ?? "", "bearer", lasting.Int("expires_in"));
    }

    /// <summary>The sign-up answers as style preferences: strings or numbers, each at most 200 characters; anything else is a 400 before the account exists.</summary>
    private static Dictionary<string, string> ReadAnswers(JsonElement? answers)
    {
        var preferences = new Dictionary<string, string>();
        if (answers is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } given)
        {
            return preferences;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            throw MobileProblem.BadRequest("The answers must be an object of gender, age and brand.");
        }

        foreach (var question in Questions)
        {
            if (!given.TryGetProperty(question, out var answer) || answer.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var text = answer.ValueKind switch
            {
                JsonValueKind.String => answer.GetString()!.Trim(),
                JsonValueKind.Number => answer.GetRawText(),
                _ => throw MobileProblem.BadRequest($"The answer to '{question}' must be text or a number."),
            };
            if (text.Length > MaxAnswerLength)
            {
                throw MobileProblem.BadRequest($"The answer to '{question}' must be at most {MaxAnswerLength.ToString(CultureInfo.InvariantCulture)} characters.");
            }

            if (text.Length > 0)
            {
                preferences[question] = text;
            }
        }

        return preferences;
    }
}
