using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Engine;

/// <summary>The vision models one process loads once and shares: face detector, person segmenter and pose landmarker.</summary>
public sealed class EngineModels : IDisposable
{
    private readonly TfliteModel _segmentation;
    private readonly TfliteModel _pose;

    private EngineModels(BlazeFaceDetector faces, TfliteModel segmentation, TfliteModel pose)
    {
        Faces = faces;
        _segmentation = segmentation;
        _pose = pose;
        Analyzer = new PersonAnalyzer(faces, new PersonSegmenter(segmentation), new PoseLandmarker(pose));
        Garments = new GarmentReader(faces, Analyzer);
    }

    public GarmentReader Garments { get; }

    public BlazeFaceDetector Faces { get; }

    public PersonAnalyzer Analyzer { get; }

    /// <summary>Loads the models the build placed next to the binaries.</summary>
    public static EngineModels Load() => new(
        new BlazeFaceDetector(BlazeFaceDetector.DefaultModelPath),
        new TfliteModel(TfliteModel.PathOf(PersonSegmenter.ModelFile)),
        new TfliteModel(TfliteModel.PathOf(PoseLandmarker.ModelFile)));

    public void Dispose()
    {
        Faces.Dispose();
        _segmentation.Dispose();
        _pose.Dispose();
    }
}
