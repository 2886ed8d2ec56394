namespace WearIt.ServiceDefaults.Errors;

/// <summary>
/// A failure the client should be told about: its kind picks the status, its code is the stable machine code,
/// its message is the human <c>detail</c>, and <see cref="Errors"/> lists field errors for validation.
/// </summary>
public sealed class DomainException(ErrorKind kind, string code, string message, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(message)
{
    /// <summary>What went wrong, in HTTP terms.</summary>
    public ErrorKind Kind { get; } = kind;

    /// <summary>The stable machine code, such as <c>credits_exhausted</c>.</summary>
    public string Code { get; } = code;

    /// <summary>Field errors for a validation failure, by field name.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Seconds the client should wait before retrying, for rate limits and lockouts.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A validation failure with its field errors.</summary>
    public static DomainException Validation(IReadOnlyDictionary<string, string[]> errors, string message = "One or more fields are invalid.") =>
        new(ErrorKind.Validation, "validation_failed", message, errors);

    /// <summary>A missing resource (also what another user's resource looks like).</summary>
    public static DomainException NotFound(string what) => new(ErrorKind.NotFound, "not_found", $"{what} was not found.");
}
