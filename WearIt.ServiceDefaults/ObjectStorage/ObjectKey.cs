namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>
/// The rules every object key and prefix follows: slash-separated segments of letters, digits, '.', '_' and '-',
/// never '.' or '..', never empty. Keys that follow them cannot escape a folder or a bucket prefix.
/// </summary>
public static class ObjectKey
{
    /// <summary>The longest key S3 accepts.</summary>
    public const int MaxLength = 1024;

    /// <summary>Whether <paramref name="key"/> is a valid object key.</summary>
    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxLength && key.Split('/').All(IsValidSegment);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a valid object key.</summary>
    public static string Validate(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a valid object key.", nameof(key));

    /// <summary>Throws unless <paramref name="prefix"/> is empty, or one or more valid segments optionally ending in '/'.</summary>
    public static string ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var body = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        if (prefix.Length == 0 || IsValid(body))
        {
            return prefix;
        }

        throw new ArgumentException($"'{prefix}' is not a valid object key prefix.", nameof(prefix));
    }

    private static bool IsValidSegment(string segment)
    {
        if (segment.Length == 0 || segment == "." || segment == "..")
        {
            return false;
        }

        foreach (var character in segment)
        {
            if (!(char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
