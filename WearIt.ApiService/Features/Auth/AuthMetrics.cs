using System.Diagnostics.Metrics;

namespace WearIt.ApiService.Features.Auth;

/// <summary>The <c>WearIt.Auth</c> meter: how sign-ups, logins, refreshes and resets turn out.</summary>
public sealed class AuthMetrics
{
    public const string MeterName = "WearIt.Auth";

    private readonly Counter<long> _outcomes;

    public AuthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _outcomes = meter.CreateCounter<long>("wearit.auth.outcomes", description: "Auth operations by outcome.");
    }

    /// <summary>Counts one outcome, such as <c>login_failed</c> or <c>refresh_reused</c>.</summary>
    public void Record(string outcome) => _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
