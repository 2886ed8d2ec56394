using System.Collections.Concurrent;
using System.Security.Cryptography;
using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// Reads a garment image once: a photo with someone in it is cut out of the person (<see cref="WornGarmentCutter"/>),
/// anything else is a product shot, flat lay or cut-out (<see cref="GarmentAnalyzer"/>). Readings are kept per image
/// content and cloth type, so a garment tried on again is not read again.
/// </summary>
public sealed class GarmentReader(BlazeFaceDetector faces, PersonAnalyzer people)
{
    public const int LongSide = 1024;
    // NOTE: a small bound: a reading holds a cut-out of up to 1024 px (about 3 MB for a catalog drawing), so 24 of them
    // cost some 75 MB; the garments read most recently stay (first in, first out), the others are read again.
    private const int MaxCached = 24;
    private readonly ConcurrentDictionary<string, GarmentAnalysis> _cache = new();
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>The garment's reading; the instance is shared and must not be disposed by the caller.</summary>
    public GarmentAnalysis Read(string clothType, byte[] image)
    {
        var key = $"{clothType}:{Convert.ToHexString(SHA256.HashData(image))}";
        if (_cache.TryGetValue(key, out var known))
        {
            return known;
        }

        using var bitmap = EngineImages.DecodeUpright(image, LongSide, "garment_image_invalid");
        var reading = Read(clothType, bitmap);
        if (_cache.TryAdd(key, reading))
        {
            _order.Enqueue(key);
            while (_cache.Count > MaxCached && _order.TryDequeue(out var oldest))
            {
                // Not disposed: a try-on may still be drawing it; the finalizer frees it once nobody does.
                _cache.TryRemove(oldest, out _);
            }
        }

        return reading;
    }

    private GarmentAnalysis Read(string clothType, SKBitmap bitmap)
    {
        if (WearIt.ServiceDefaults.Imaging.Pixels.HasTransparency(bitmap) || faces.Detect(bitmap).Count == 0)
        {
            return GarmentAnalyzer.Analyse(clothType, bitmap);
        }

        PersonAnalysis person;
        try
        {
            person = people.Analyse(bitmap);
        }
        catch (TryonFailedException ex)
        {
            throw new TryonFailedException("garment_not_found", $"The garment cannot be cut out of this photo of someone wearing it: {ex.Message}");
        }

        try
        {
            return WornGarmentCutter.Cut(clothType, bitmap, person) with { Worn = true };
        }
        catch (TryonFailedException ex) when (ex.Code != "garment_not_found")
        {
            throw new TryonFailedException("garment_not_found", $"The garment cannot be cut out of this photo of someone wearing it: {ex.Message}");
        }
    }
}
