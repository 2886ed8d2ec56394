namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// A refresh token as stored: only its SHA-256 hash (the token itself is 256 random bits, so a fast hash is enough).
/// Tokens rotated from one login form a family; presenting a rotated token revokes the whole family.
/// </summary>
public sealed class RefreshToken
{
    /// <summary>The token's SHA-256 hash, base64url.</summary>
    public string Id { get; set; } = "";

    public Guid UserId { get; set; }

    /// <summary>The login this token descends from; also the <c>sid</c> of the access tokens issued with it.</summary>
    public Guid FamilyId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the session (the family's login) started; the session ends <c>SessionLifetime</c> after it.</summary>
    public DateTime SessionStartedAt { get; set; }

    /// <summary>The session's start; a token stored before the field existed counts from its own creation.</summary>
    public DateTime SessionStart => SessionStartedAt == default ? CreatedAt : SessionStartedAt;

    public DateTime ExpiresAt { get; set; }

    /// <summary>When the token was exchanged for its successor; a second use after this is reuse.</summary>
    public DateTime? RotatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
