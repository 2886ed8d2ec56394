using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Gateway.Mobile;

/// <summary>The <c>WearIt:Gateway</c> configuration section: what the mobile v1 API gives the first version's app.</summary>
public sealed class MobileOptions
{
    public const string SectionName = "WearIt:Gateway";

    /// <summary>
    /// How long a mobile v1 token lives (the app cannot refresh; it checks <c>exp</c> and asks the user to log in again):
    /// at most <see cref="JwtOptions.LongestAccessTokenLifetime"/>, the time ended sessions are remembered for.
    /// </summary>
    public TimeSpan MobileTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a call to a WearIt service may take before the app is told it is unavailable (the app waits 5 s).</summary>
    public TimeSpan ServiceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a body socket reads the user's photos while one is being checked, and otherwise (an upload through this
    /// instance wakes it at once).
    /// </summary>
    public TimeSpan BodyPollWhileProcessing { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BodyPollIdle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Body sockets one user may hold open on one gateway instance.</summary>
    public int MaxBodySocketsPerUser { get; set; } = 5;
}
