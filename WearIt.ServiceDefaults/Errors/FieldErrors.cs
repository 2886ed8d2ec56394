namespace WearIt.ServiceDefaults.Errors;

/// <summary>Collects field errors while a request is checked, then throws them all as one validation failure.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="message"/> against <paramref name="field"/> when <paramref name="failed"/> is true.</summary>
    public FieldErrors When(bool failed, string field, string message)
    {
        if (failed)
        {
            Add(field, message);
        }

        return this;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Throws a <c>validation_failed</c> <see cref="DomainException"/> if any error was recorded.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw DomainException.Validation(_errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray()));
        }
    }
}
