using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Auth;

/// <summary>The <c>/api/v1/auth</c> routes; all rate limited per client address.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth")
            .WithTags("Auth")
            .RequireRateLimiting(AuthRateLimiting.PolicyName);

        group.MapPost("/signup", SignupAsync)
            .WithName("Signup").ProducesProblems(400, 409, 429)
            .WithSummary("Creates an account with 20 credits (15 more for both users with a valid referral code) and logs it in.");
        group.MapPost("/login", LoginAsync)
            .WithName("Login").ProducesProblems(400, 401, 429)
            .WithSummary("OAuth2 password grant (form: grant_type=password, username, password) or JSON {email, password}.")
            .Accepts<LoginRequest>("application/json", "application/x-www-form-urlencoded")
            .DisableAntiforgery();
        group.MapPost("/refresh", RefreshAsync)
            .WithName("Refresh").ProducesProblems(401, 429)
            .WithSummary("Exchanges a refresh token for a new pair; a reused token ends the session.");
        group.MapPost("/logout", LogoutAsync)
            .WithName("Logout").ProducesProblems(400, 429)
            .WithSummary("Ends the session the refresh token belongs to (without one, the session of the bearer token).");
        group.MapPost("/password-reset/request", RequestPasswordResetAsync)
            .WithName("RequestPasswordReset").ProducesProblems(400, 429, 503)
            .WithSummary("Mails a 6-digit code valid for 15 minutes; always 202, whether or not the account exists.");
        group.MapPost("/password-reset/check", CheckPasswordResetAsync)
            .WithName("CheckPasswordReset").ProducesProblems(400, 429)
            .WithSummary("Tells whether a mailed reset code is valid, without using it up; wrong codes count toward the five that burn it.");
        group.MapPost("/password-reset/confirm", ConfirmPasswordResetAsync)
            .WithName("ConfirmPasswordReset").ProducesProblems(400, 429)
            .WithSummary("Sets a new password with the mailed code and ends every session.");

        app.MapPost("/internal/v1/auth/lasting-tokens", IssueLastingTokenAsync)
            .WithTags("Internal")
            .WithName("IssueLastingToken").ProducesProblems(400, 401)
            .WithSummary("Trades a refresh token for one access token of its session with a longer lifetime and no refresh (service token only).")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }

    private static async Task<Ok<TokenResponse>> IssueLastingTokenAsync(LastingTokenRequest request, AuthService auth, CancellationToken cancellationToken) =>
        TypedResults.Ok(await auth.IssueLastingTokenAsync(request.RefreshToken, TimeSpan.FromSeconds(request.LifetimeSeconds ?? 0), cancellationToken));

    private static async Task<Created<SignupResponse>> SignupAsync(SignupRequest request, HttpContext http, AuthService auth, CancellationToken cancellationToken)
    {
        var response = await auth.SignupAsync(request, cancellationToken);
        return TypedResults.Created("/api/v1/users/me", response with { Tokens = RefreshCookie.Deliver(http, response.Tokens) });
    }

    private static async Task<Ok<TokenResponse>> LoginAsync(HttpContext http, AuthService auth, CancellationToken cancellationToken)
    {
        var (email, password) = await ReadCredentialsAsync(http.Request, cancellationToken);
        return TypedResults.Ok(RefreshCookie.Deliver(http, await auth.LoginAsync(email, password, cancellationToken)));
    }

    private static async Task<Ok<TokenResponse>> RefreshAsync(RefreshRequest request, HttpContext http, AuthService auth, CancellationToken cancellationToken) =>
        TypedResults.Ok(RefreshCookie.Deliver(http, await auth.RefreshAsync(RefreshCookie.Read(http.Request, request.RefreshToken), cancellationToken)));

    private static async Task<NoContent> LogoutAsync(RefreshRequest request, HttpContext http, AuthService auth, CancellationToken cancellationToken)
    {
        await auth.LogoutAsync(RefreshCookie.Read(http.Request, request.RefreshToken), http.User, cancellationToken);
        RefreshCookie.Clear(http);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted> RequestPasswordResetAsync(PasswordResetRequest request, AuthService auth, CancellationToken cancellationToken)
    {
        await auth.RequestPasswordResetAsync(request, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Ok<PasswordResetCheckResponse>> CheckPasswordResetAsync(
        PasswordResetCheckRequest request, AuthService auth, CancellationToken cancellationToken) =>
        TypedResults.Ok(new PasswordResetCheckResponse(await auth.CheckPasswordResetCodeAsync(request, cancellationToken)));

    private static async Task<NoContent> ConfirmPasswordResetAsync(PasswordResetConfirmRequest request, AuthService auth, CancellationToken cancellationToken)
    {
        await auth.ConfirmPasswordResetAsync(request, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Reads the OAuth2 password-grant form (what the OpenAPI Authorize button sends) or the JSON body.</summary>
    private static async Task<(string? Email, string? Password)> ReadCredentialsAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(cancellationToken);
            if (!string.Equals(form["grant_type"], "password", StringComparison.Ordinal))
            {
                throw new DomainException(ErrorKind.Validation, "unsupported_grant_type", "Only grant_type=password is supported.",
                    new Dictionary<string, string[]> { ["grant_type"] = ["Only 'password' is supported."] });
            }

            return (form["username"], form["password"]);
        }

        if (http.HasJsonContentType())
        {
            var body = await http.ReadFromJsonAsync<LoginRequest>(cancellationToken);
            return (body?.Email, body?.Password);
        }

        throw new DomainException(ErrorKind.UnsupportedMediaType, "unsupported_media_type",
            "Send the credentials as application/json or application/x-www-form-urlencoded.");
    }
}
