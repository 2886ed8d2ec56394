using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// A TFLite model loaded by OpenCV's dnn module (which picks its TFLite importer from the file extension). A network
/// holds its intermediate blobs, so one inference runs at a time; callers share one instance per process.
/// </summary>
public sealed class TfliteModel : IDisposable
{
    private readonly Net _net;
    private readonly string[] _outputNames;
    private readonly Lock _gate = new();

    public TfliteModel(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The vision model {Path.GetFileName(path)} is missing; it is fetched by the build (see WearIt.TryonService.csproj).", path);
        }

        _net = CvDnn.ReadNet(path);
        _outputNames = [.. _net.GetUnconnectedOutLayersNames().Select(name => name ?? "")];
    }

    /// <summary>The models the build places next to the service's binaries.</summary>
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Models", fileName);

    /// <summary>Runs the network on an NCHW blob and returns every output by name, flattened.</summary>
    public IReadOnlyDictionary<string, float[]> Run(Mat blob)
    {
        lock (_gate)
        {
            _net.SetInput(blob);
            var outputs = _outputNames.Select(_ => new Mat()).ToArray();
            try
            {
                _net.Forward(outputs, _outputNames);
                var result = new Dictionary<string, float[]>(_outputNames.Length);
                for (var i = 0; i < outputs.Length; i++)
                {
                    // NOTE: network outputs are continuous float blobs, so their bytes can be copied as they are.
                    var values = new float[outputs[i].Total()];
                    System.Runtime.InteropServices.Marshal.Copy(outputs[i].Data, values, 0, values.Length);
                    result[_outputNames[i]] = values;
                }

                return result;
            }
            finally
            {
                foreach (var output in outputs)
                {
                    output.Dispose();
                }
            }
        }
    }

    public void Dispose() => _net.Dispose();
}
