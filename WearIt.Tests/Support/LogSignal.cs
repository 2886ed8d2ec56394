using Microsoft.Extensions.Logging;

namespace WearIt.Tests.Support;

/// <summary>
/// A logger provider for a service under test that completes <see cref="Logged"/> when the service logs a line
/// containing a given text: a test waits for what the service did rather than for the clock.
/// </summary>
public sealed class LogSignal(string contains) : ILoggerProvider
{
    private readonly string _contains = contains;
    private readonly TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Logged => _logged.Task;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSignal signal) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains(signal._contains, StringComparison.Ordinal))
            {
                signal._logged.TrySetResult();
            }
        }
    }
}
