namespace WearIt.ServiceDefaults.Authentication;

/// <summary>The <c>Jwt</c> configuration section: how access tokens and service tokens are signed and checked.</summary>
public sealed class JwtOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Jwt";

    /// <summary>The smallest secret a key is derived from: 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>Who issues the tokens.</summary>
    public string Issuer { get; set; } = "wearit";

    /// <summary>Who user tokens are for.</summary>
    public string Audience { get; set; } = "wearit";

    /// <summary>
    /// The user-token secret (the AppHost's <c>jwt-signing-key</c>), given to ApiService only: the ES256 key that signs
    /// user tokens is derived from it (<see cref="UserTokenKeys"/>).
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>A service without <see cref="SigningKey"/> validates user tokens with this public key (PEM), when set.</summary>
    public string? UserTokenPublicKey { get; set; }

    /// <summary>
    /// Otherwise, where the user-token keys are published: the OpenID metadata at
    /// <c>{Authority}/.well-known/openid-configuration</c> (ApiService, <c>http://apiservice</c> by service discovery).
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The HS256 key of service tokens (the AppHost's <c>service-token-key</c>), shared by both services.</summary>
    public string ServiceSigningKey { get; set; } = "";

    /// <summary>
    /// The longest any access token may live: the lasting tokens of clients that cannot refresh (the mobile app, see
    /// WearIt:Gateway:MobileTokenLifetime). Ended sessions are remembered this long (<see cref="SessionRevocations.Horizon"/>).
    /// </summary>
    public static readonly TimeSpan LongestAccessTokenLifetime = TimeSpan.FromHours(24);

    /// <summary>How long an access token lives.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
