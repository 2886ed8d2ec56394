using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace WearIt.Tests.Support;

/// <summary>Images made inside the tests: valid ones in each format, and every kind of bad one.</summary>
public static class TestImages
{
    /// <summary>A marker written into EXIF metadata, which must never survive intake.</summary>
    public const string MetadataMarker = "WEARIT-PRIVATE-METADATA";

    public static byte[] Jpeg(int width = 640, int height = 480, SKColor? color = null) => Encode(Draw(width, height, color, transparent: false), SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width = 640, int height = 480, bool transparent = false) => Encode(Draw(width, height, null, transparent), SKEncodedImageFormat.Png);

    public static byte[] WebP(int width = 640, int height = 480) => Encode(Draw(width, height, null, transparent: false), SKEncodedImageFormat.Webp);

    /// <summary>Random pixels: a JPEG that compresses badly, for size limits.</summary>
    public static byte[] NoisyJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        var random = new Random(7);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Jpeg, 100).ToArray();
    }

    /// <summary>JPEG magic bytes followed by garbage.</summary>
    public static byte[] Corrupt()
    {
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    /// <summary>A valid JPEG cut off after a third of its bytes.</summary>
    public static byte[] Truncated()
    {
        var whole = NoisyJpeg(400, 400);
        return whole[..(whole.Length / 3)];
    }

    /// <summary>A GIF, which WearIt does not accept whatever the file is called.</summary>
    public static byte[] Gif() => [.. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B];

    /// <summary>
    /// A tiny PNG whose header declares <paramref name="side"/> x <paramref name="side"/> pixels: decoding it would need
    /// gigabytes (a decompression bomb); only its header may be read.
    /// </summary>
    public static byte[] PngBomb(int side = 60_000)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type: RGB
        WriteChunk(stream, "IHDR", header);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>
    /// A JPEG carrying EXIF: an orientation tag, an ImageDescription holding <see cref="MetadataMarker"/>, and a GPS
    /// block with a latitude, all of which must be gone after intake (the orientation applied to the pixels).
    /// </summary>
    public static byte[] JpegWithExif(int width, int height, ushort orientation)
    {
        var jpeg = Jpeg(width, height, SKColors.CornflowerBlue);
        var exif = ExifSegment(orientation);
        return [.. jpeg[..2], .. exif, .. jpeg[2..]];
    }

    private static byte[] ExifSegment(ushort orientation)
    {
        // TIFF, little-endian: header, IFD0 (orientation, description, GPS pointer), GPS IFD (latitude ref and value).
        var description = Encoding.ASCII.GetBytes(MetadataMarker + "\0");
        const int ifd0Offset = 8;
        const int ifd0Entries = 3;
        var ifd0Size = 2 + (ifd0Entries * 12) + 4;
        var descriptionOffset = ifd0Offset + ifd0Size;
        var gpsOffset = descriptionOffset + description.Length;
        const int gpsEntries = 2;
        var gpsSize = 2 + (gpsEntries * 12) + 4;
        var latitudeOffset = gpsOffset + gpsSize;

        var tiff = new byte[latitudeOffset + 24];
        var span = tiff.AsSpan();
        "II"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], ifd0Offset);

        var at = ifd0Offset;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], ifd0Entries);
        at += 2;
        WriteEntry(span, ref at, 0x010E, 2, (uint)description.Length, (uint)descriptionOffset);   // ImageDescription
        WriteEntry(span, ref at, 0x0112, 3, 1, orientation);                                    // Orientation
        WriteEntry(span, ref at, 0x8825, 4, 1, (uint)gpsOffset);                                 // GPS IFD pointer
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], 0);
        description.CopyTo(span[descriptionOffset..]);

        at = gpsOffset;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], gpsEntries);
        at += 2;
        WriteEntry(span, ref at, 0x0001, 2, 2, 'N');                         // GPSLatitudeRef "N\0"
        WriteEntry(span, ref at, 0x0002, 5, 3, (uint)latitudeOffset);        // GPSLatitude: 3 rationals
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], 0);
        uint[] latitude = [48, 1, 51, 1, 2959, 100];                         // 48° 51' 29.59"
        for (var i = 0; i < latitude.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[(latitudeOffset + (i * 4))..], latitude[i]);
        }

        var payload = new byte[6 + tiff.Length];
        "Exif\0\0"u8.CopyTo(payload);
        tiff.CopyTo(payload, 6);
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return segment;
    }

    private static void WriteEntry(Span<byte> span, ref int at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 2)..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 8)..], value);
        at += 12;
    }

    private static SKBitmap Draw(int width, int height, SKColor? color, bool transparent)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(transparent ? SKColors.Transparent : SKColors.White);
        using var paint = new SKPaint { Color = color ?? SKColors.Teal, IsAntialias = true };
        // A mark in the top-left corner shows which way up the pixels are.
        canvas.DrawRect(new SKRect(0, 0, width / 4f, height / 4f), paint);
        canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 4f, paint);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using (bitmap)
        using (var image = SKImage.FromBitmap(bitmap))
        {
            return image.Encode(format, 90).ToArray();
        }
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    /// <summary>PNG's CRC-32 (the mirror has no System.IO.Hashing; this is the textbook bitwise form).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
