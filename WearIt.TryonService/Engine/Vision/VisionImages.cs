using OpenCvSharp;
using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>Moves pixels between SkiaSharp bitmaps (decoding, drawing, encoding) and OpenCV mats (models, masks).</summary>
public static class VisionImages
{
    /// <summary>An RGB copy of an opaque RGBA bitmap.</summary>
    public static Mat ToRgb(SKBitmap bitmap)
    {
        using var rgba = Wrap(bitmap);
        var rgb = new Mat();
        Cv2.CvtColor(rgba, rgb, ColorConversionCodes.RGBA2RGB);
        return rgb;
    }

    /// <summary>An 8-bit Lab copy (OpenCV's scale) of an opaque RGBA mat.</summary>
    public static Mat ToLab(Mat rgba)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(rgba, rgb, ColorConversionCodes.RGBA2RGB);
        var lab = new Mat();
        Cv2.CvtColor(rgb, lab, ColorConversionCodes.RGB2Lab);
        return lab;
    }

    /// <summary>A mat over the bitmap's own pixels (RGBA8888): valid while the bitmap lives, writes go to the bitmap.</summary>
    public static Mat Wrap(SKBitmap bitmap)
    {
        if (bitmap.ColorType != SKColorType.Rgba8888)
        {
            throw new ArgumentException("Only RGBA8888 bitmaps can be wrapped.", nameof(bitmap));
        }

        return Mat.FromPixelData(bitmap.Height, bitmap.Width, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
    }

    /// <summary>A single-channel mat copied from a row-by-row byte mask.</summary>
    public static Mat FromMask(byte[] mask, int width, int height)
    {
        var mat = new Mat(height, width, MatType.CV_8UC1);
        System.Runtime.InteropServices.Marshal.Copy(mask, 0, mat.Data, mask.Length);
        return mat;
    }

    /// <summary>The bytes of a continuous single-channel mat, row by row.</summary>
    public static byte[] ToBytes(Mat mask)
    {
        using var continuous = mask.Clone(); // a clone is always continuous
        var bytes = new byte[continuous.Rows * continuous.Cols * continuous.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
