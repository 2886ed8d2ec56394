using System.Diagnostics.Metrics;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>The <c>WearIt.Tryon</c> meter: open sockets and dropped clients.</summary>
public static class TryonMetrics
{
    private static readonly Meter Meter = new("WearIt.Tryon");
    private static readonly UpDownCounter<long> OpenSockets = Meter.CreateUpDownCounter<long>("wearit.tryon.sockets.open", description: "Open try-on WebSockets.");
    private static readonly Counter<long> DroppedSockets = Meter.CreateCounter<long>("wearit.tryon.sockets.dropped", description: "Clients disconnected for not reading.");

    public static void SocketOpened() => OpenSockets.Add(1);

    public static void SocketClosed() => OpenSockets.Add(-1);

    public static void SocketDropped() => DroppedSockets.Add(1);
}
