namespace WearIt.ApiService.Features.Credits;

/// <summary>The <c>WearIt:Credits</c> configuration section.</summary>
public sealed class CreditsOptions
{
    public const string SectionName = "WearIt:Credits";

    /// <summary>Verified invitees a referrer earns a bonus for, at most.</summary>
    public int MaxReferrals { get; set; } = 10;
}
