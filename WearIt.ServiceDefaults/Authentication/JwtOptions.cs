namespace WearIt.ServiceDefaults.Authentication;

/// <summary>The <c>Jwt</c> configuration section: how access tokens are signed and checked.</summary>
public sealed class JwtOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Jwt";

    /// <summary>The smallest signing key HS256 is given: 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>Who issues the tokens.</summary>
    public string Issuer { get; set; } = "wearit";

    /// <summary>Who user tokens are for.</summary>
    public string Audience { get; set; } = "wearit";

    /// <summary>The shared HS256 key (the AppHost's generated <c>jwt-signing-key</c> parameter).</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>How long an access token lives.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
