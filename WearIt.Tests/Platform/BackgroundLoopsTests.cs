using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WearIt.ServiceDefaults.Health;

namespace WearIt.Tests.Platform;

/// <summary>
/// A periodic background loop (the try-on event feed's poll) keeps its cadence: the first round comes one period after
/// the start, a tick that comes while a round runs is taken when it ends (with a delay started after each round, that
/// tick was lost and the feed's sockets waited a poll longer), and shutdown ends the loop.
/// </summary>
public sealed class BackgroundLoopsTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    // How long a round may take to start on the thread pool (each step completes as soon as it does).
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATickThatComesDuringARoundIsTakenWhenTheRoundEnds()
    {
        var clock = new FakeTimeProvider();
        var loops = new BackgroundLoops(clock, NullLogger<BackgroundLoops>.Instance);
        var rounds = Channel.CreateUnbounded<TaskCompletionSource>();
        using var stop = new CancellationTokenSource();

        var run = loops.RunPeriodicAsync("test", async token =>
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await rounds.Writer.WriteAsync(release, token);
            await release.Task.WaitAsync(token);
        }, Period, stop.Token);
        var roundBeforeThePeriod = rounds.Reader.TryRead(out _);

        clock.Advance(Period);
        var first = await rounds.Reader.ReadAsync(Cancellation).AsTask().WaitAsync(Wait, Cancellation);
        // The next tick comes while the first round still runs.
        clock.Advance(Period);
        first.SetResult();
        // No further tick: the second round comes from the one that came during the first.
        await rounds.Reader.ReadAsync(Cancellation).AsTask().WaitAsync(Wait, Cancellation);
        // Shutdown during a round ends the loop, and is no failure.
        await stop.CancelAsync();
        await run.WaitAsync(Wait, Cancellation);

        Assert.False(roundBeforeThePeriod);
        Assert.Empty(loops.Failing);
    }
}
