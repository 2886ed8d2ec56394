using Microsoft.AspNetCore.Http;

namespace WearIt.ServiceDefaults.Errors;

/// <summary>The kinds of failure a WearIt endpoint can answer with; each has one HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    Unauthorized,
    PaymentRequired,
    Forbidden,
    NotFound,
    Conflict,
    Locked,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    DependencyUnavailable,
}

/// <summary>Maps error kinds and statuses to HTTP statuses and stable machine codes.</summary>
public static class ErrorCodes
{
    /// <summary>The HTTP status of an error kind.</summary>
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.PaymentRequired => StatusCodes.Status402PaymentRequired,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Locked => StatusCodes.Status423Locked,
        ErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorKind.DependencyUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The default machine code for a status, used when a response names none itself.</summary>
    public static string DefaultCodeFor(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        423 => "locked",
        429 => "rate_limited",
        503 => "dependency_unavailable",
        >= 500 => "internal_error",
        _ => "error",
    };
}
