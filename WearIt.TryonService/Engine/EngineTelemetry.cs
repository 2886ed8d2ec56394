using System.Diagnostics;

namespace WearIt.TryonService.Engine;

/// <summary>The trace source and meter name the engines and the try-on feature share (one <c>WearIt.Tryon</c> in the dashboard).</summary>
public static class EngineTelemetry
{
    public const string Name = "WearIt.Tryon";

    public static readonly ActivitySource Activities = new(Name);
}
