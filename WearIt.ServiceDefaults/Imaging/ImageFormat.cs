namespace WearIt.ServiceDefaults.Imaging;

/// <summary>The image formats WearIt accepts, recognised from their first bytes, never from a name or header.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
}

/// <summary>Reads an image's real format from its magic bytes.</summary>
public static class ImageFormatSniffer
{
    /// <summary>The format the bytes start with, or null when they are none of JPEG, PNG or WebP.</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (bytes.Length >= 8 && bytes[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        return null;
    }
}
