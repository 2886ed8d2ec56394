using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Sign-up, sign-in, sessions and their tokens, email verification and password resets.</summary>
public static class AuthFeature
{
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        builder.AddRepository<IRefreshTokenRepository, MongoRefreshTokenRepository, LiteDbRefreshTokenRepository>();
        builder.AddRepository<ILoginAttemptRepository, MongoLoginAttemptRepository, LiteDbLoginAttemptRepository>();
        builder.AddRepository<ISessionRevocationRepository, MongoSessionRevocationRepository, LiteDbSessionRevocationRepository>();
        builder.Services.AddSessionRevocationSource<SessionRevocationDatabaseSource>();
        builder.Services.AddScoped<SessionEnder>();
        builder.Services.AddSingleton<AuthMetrics>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<ResetCodes>();
        builder.Services.AddSingleton<UserTokenSigningKey>();
        builder.Services.AddScoped<TokenIssuer>();
        builder.Services.AddScoped<LoginThrottle>();
        builder.Services.AddScoped<PasswordCheck>();
        builder.Services.AddSingleton<AdminEmails>();
        builder.Services.AddScoped<EmailVerificationService>();
        builder.Services.AddScoped<AuthService>();
        builder.Services.AddAuthRateLimiting();
        builder.Services.AddUserDataEraser<SessionsEraser>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapAuthEndpoints();
        app.MapUserTokenKeys();
        app.MapEmailVerificationApi();
        app.MapSessionRevocationsInternalApi();
        return app;
    }

    /// <summary>Ends every session of the account (here and, through the revocation feed, at TryonService) and drops its refresh tokens.</summary>
    private sealed class SessionsEraser(SessionEnder sessions, IRefreshTokenRepository refreshTokens) : IUserDataEraser
    {
        public int Order => UserDataErasers.Access;

        public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
        {
            await sessions.EndAllSessionsAsync(userId, keepFamilyId: null, cancellationToken);
            await refreshTokens.DeleteAllForUserAsync(userId, cancellationToken);
        }
    }
}
