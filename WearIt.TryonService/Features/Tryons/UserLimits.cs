using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.Limits;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Per-user limits of one TryonService instance: try-ons started per minute (<see cref="TryonOptions.MaxTryonsPerMinute"/>,
/// a fixed window per user shared by <c>POST /api/v1/tryons</c> and the socket's <c>start</c>) and open sockets
/// (<see cref="TryonOptions.MaxSocketsPerUser"/>). Counted per instance: with N instances a user gets at most N times
/// either, which bounds what one account can make a deployment do without a shared store on every request.
/// </summary>
public sealed class UserLimits : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _starts;
    private readonly ConcurrentSlots<Guid> _sockets = new();
    private readonly int _maxSockets;

    public UserLimits(IOptions<TryonOptions> options)
    {
        var perMinute = options.Value.MaxTryonsPerMinute;
        _maxSockets = options.Value.MaxSocketsPerUser;
        _starts = PartitionedRateLimiter.Create<Guid, Guid>(user => RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    /// <summary>Takes one try-on start for the user, or throws 429 <c>tryon_rate_limited</c> with Retry-After.</summary>
    public void TakeStart(Guid userId)
    {
        using var lease = _starts.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
            throw new DomainException(ErrorKind.RateLimited, "tryon_rate_limited", "Too many try-ons started in the last minute; wait and try again.")
            {
                RetryAfterSeconds = Math.Max(1, retryAfter),
            };
        }
    }

    /// <summary>
    /// Counts an open socket of the user; null (and nothing counted) when the user already holds the maximum. The slot is
    /// released once, whichever comes first: the close handshake (before the server answers it, so a client that closed
    /// one tab may open the next at once) or the end of the request.
    /// </summary>
    public ConcurrentSlots<Guid>.Slot? TryOpenSocket(Guid userId) => _sockets.TryTake(userId, _maxSockets);

    public void Dispose() => _starts.Dispose();
}
