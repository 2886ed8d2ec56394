using WearIt.Gateway.Mobile;

namespace WearIt.Tests.Platform;

/// <summary>The gateway's wake-up of a user's body sockets when the app uploads a photo through it.</summary>
public sealed class BodyUploadSignalsTests
{
    [Fact]
    public void AnUploadWakesEveryListenerOfThatUserAndNoOneElse()
    {
        var signals = new BodyUploadSignals();
        using var first = signals.Listen("ann");
        using var second = signals.Listen("ann");
        using var other = signals.Listen("bob");

        signals.Notify("ann");

        Assert.True(first.Next.IsCompletedSuccessfully);
        Assert.True(second.Next.IsCompletedSuccessfully);
        Assert.False(other.Next.IsCompleted);
    }

    [Fact]
    public void AnUploadDuringAReadWakesTheWaitAfterItAndRearmingListensAfresh()
    {
        var signals = new BodyUploadSignals();
        using var listener = signals.Listen("ann");

        listener.Rearm();
        signals.Notify("ann"); // while the socket reads the photos
        var woken = listener.Next;
        listener.Rearm();
        var afresh = listener.Next;

        Assert.True(woken.IsCompletedSuccessfully);
        Assert.False(afresh.IsCompleted);
    }

    [Fact]
    public void AClosedSocketIsNoLongerWoken()
    {
        var signals = new BodyUploadSignals();
        var closed = signals.Listen("ann");
        var next = closed.Next;
        closed.Dispose();

        signals.Notify("ann");

        Assert.False(next.IsCompleted);
    }
}
