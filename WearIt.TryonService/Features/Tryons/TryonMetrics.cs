using System.Diagnostics.Metrics;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>The <c>WearIt.Tryon</c> meter: queue depth, stage durations, outcomes, open sockets and dropped clients.</summary>
public static class TryonMetrics
{
    public const string MeterName = WearIt.TryonService.Engine.EngineTelemetry.Name;

    private static readonly Meter Meter = new(MeterName);
    private static readonly UpDownCounter<long> OpenSockets = Meter.CreateUpDownCounter<long>("wearit.tryon.sockets.open", description: "Open try-on WebSockets.");
    private static readonly Counter<long> DroppedSockets = Meter.CreateCounter<long>("wearit.tryon.sockets.dropped", description: "Clients disconnected for not reading.");
    private static readonly Histogram<double> StageDurations = Meter.CreateHistogram<double>("wearit.tryon.stage.duration", "s", "How long each try-on stage took.");
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("wearit.tryon.outcomes", description: "Finished try-ons by status and error code.");
    private static long _queueDepth;

    static TryonMetrics() =>
        Meter.CreateObservableGauge("wearit.tryon.queue.depth", () => Interlocked.Read(ref _queueDepth), description: "Queued try-ons, as last counted by a worker.");

    public static void SocketOpened() => OpenSockets.Add(1);

    public static void SocketClosed() => OpenSockets.Add(-1);

    public static void SocketDropped() => DroppedSockets.Add(1);

    public static void StageFinished(string stage, TimeSpan duration) =>
        StageDurations.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public static void Finished(string status, string? code) =>
        Outcomes.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("code", code ?? "none"));

    public static void QueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);
}
