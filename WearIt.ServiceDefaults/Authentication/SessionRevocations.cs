using System.Collections.Concurrent;
using System.Security.Claims;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>
/// One ended session, or every session of a user up to a moment: <see cref="FamilyId"/> names one login (the access
/// token's <c>sid</c>); without it, every session of <see cref="UserId"/> whose tokens were issued at or before
/// <see cref="At"/> ends, but <see cref="ExceptFamilyId"/> (the session that changed the password keeps going).
/// </summary>
public sealed class SessionRevocation
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid? FamilyId { get; set; }

    public Guid? ExceptFamilyId { get; set; }

    public DateTime At { get; set; }

    /// <summary>
    /// Whether a token of the session issued at <paramref name="issuedAt"/> is ended by this revocation. With
    /// <paramref name="wholeSeconds"/> (a JWT's <c>iat</c>), a token from the revocation's own second is let live: it
    /// may be the new login that followed a password reset.
    /// </summary>
    public bool Ends(Guid userId, Guid? familyId, DateTime issuedAt, bool wholeSeconds = false) =>
        userId == UserId && (FamilyId is { } family
            ? family == familyId
            : (ExceptFamilyId is null || familyId != ExceptFamilyId) && (wholeSeconds
                ? issuedAt < new DateTime(At.Ticks - (At.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc)
                : issuedAt <= At));
}

/// <summary>Where a service learns of ended sessions: ApiService from its database, TryonService from ApiService.</summary>
public interface ISessionRevocationSource
{
    /// <summary>Revocations recorded at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<SessionRevocation>> ListSinceAsync(DateTime since, CancellationToken cancellationToken);
}

/// <summary>
/// The ended sessions a service knows of, refreshed from its <see cref="ISessionRevocationSource"/> every couple of
/// seconds (and at once for revocations made here): user tokens of an ended session are refused, and open sockets of
/// one are closed, within seconds rather than when the access token expires. Revocations older than an access token
/// can live are dropped.
/// </summary>
public sealed class SessionRevocations(TimeProvider time)
{
    /// <summary>The claim WearIt's access tokens carry their issue time in, to the millisecond.</summary>
    public const string IssuedAtMillisecondsClaim = "iat_ms";

    /// <summary>How long a revocation matters: the longest access token's lifetime and the clock skew, generously.</summary>
    public static readonly TimeSpan Horizon = JwtOptions.LongestAccessTokenLifetime + TimeSpan.FromMinutes(30);

    // By user, so the check every authenticated request makes looks at that user's few revocations only.
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, SessionRevocation>> _byUser = new();
    private DateTime _readUpTo = DateTime.MinValue;

    /// <summary>The users with revocations that still matter (a snapshot; few, next to the users signed in).</summary>
    public ICollection<Guid> Users => _byUser.Keys;

    /// <summary>Takes revocations in (from the source, or made here).</summary>
    public void Add(IEnumerable<SessionRevocation> revocations)
    {
        foreach (var revocation in revocations)
        {
            _byUser.GetOrAdd(revocation.UserId, _ => new())[revocation.Id] = revocation;
        }
    }

    /// <summary>Whether the principal's session has ended (a token without <c>sub</c> or <c>iat</c> is not a user session).</summary>
    public bool Ended(ClaimsPrincipal principal) => UserSession.Of(principal) is { } session && Ended(session);

    /// <summary>Whether <paramref name="session"/> has ended; for a user without revocations it allocates nothing (open sockets ask again and again).</summary>
    public bool Ended(UserSession session) =>
        _byUser.TryGetValue(session.UserId, out var mine)
        && mine.Values.Any(revocation => revocation.Ends(session.UserId, session.FamilyId, session.IssuedAt, session.WholeSeconds));

    /// <summary>Reads what the source recorded since the last read (with a little overlap) and forgets what is too old.</summary>
    public async Task RefreshAsync(ISessionRevocationSource source, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = _readUpTo == DateTime.MinValue ? now - Horizon : _readUpTo - TimeSpan.FromSeconds(5);
        Add(await source.ListSinceAsync(since, cancellationToken));
        _readUpTo = now;
        foreach (var (userId, mine) in _byUser)
        {
            foreach (var (id, revocation) in mine)
            {
                if (revocation.At < now - Horizon)
                {
                    mine.TryRemove(id, out _);
                }
            }

            // A revocation added to this user's set as it is dropped comes back with the next read (reads overlap by 5 s).
            if (mine.IsEmpty)
            {
                _byUser.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Guid, SessionRevocation>>(userId, mine));
            }
        }
    }
}

/// <summary>
/// What a revocation check needs of a user token, read off its claims once: the user (<c>sub</c>), the login it belongs
/// to (<c>sid</c>) and when it was issued (<c>iat_ms</c>, or <c>iat</c> in <paramref name="WholeSeconds"/>). An open socket
/// keeps this rather than the token's whole principal.
/// </summary>
public readonly record struct UserSession(Guid UserId, Guid? FamilyId, DateTime IssuedAt, bool WholeSeconds)
{
    /// <summary>The session of a user token; null for a token without <c>sub</c> or an issue time (not a user session).</summary>
    public static UserSession? Of(ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.FindFirst("sub")?.Value, out var userId))
        {
            return null;
        }

        Guid? familyId = Guid.TryParse(principal.FindFirst("sid")?.Value, out var sid) ? sid : null;
        if (long.TryParse(principal.FindFirst(SessionRevocations.IssuedAtMillisecondsClaim)?.Value, out var milliseconds))
        {
            return new UserSession(userId, familyId, DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime, WholeSeconds: false);
        }

        return long.TryParse(principal.FindFirst("iat")?.Value, out var seconds)
            ? new UserSession(userId, familyId, DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime, WholeSeconds: true)
            : null;
    }
}
