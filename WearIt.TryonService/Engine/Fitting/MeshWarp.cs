using SkiaSharp;

namespace WearIt.TryonService.Engine.Fitting;

/// <summary>Draws a garment cut-out through a triangle mesh: each vertex has a place in the cut-out and one on the body.</summary>
public static class MeshWarp
{
    /// <summary>A grid over <paramref name="area"/> of the cut-out, each vertex sent through <paramref name="map"/>.</summary>
    public static void DrawGrid(SKCanvas canvas, SKImage cutout, SKRect area, int columns, int rows, Func<SKPoint, SKPoint> map)
    {
        var texture = new SKPoint[(columns + 1) * (rows + 1)];
        for (var row = 0; row <= rows; row++)
        {
            for (var column = 0; column <= columns; column++)
            {
                texture[(row * (columns + 1)) + column] = new SKPoint(
                    area.Left + (area.Width * column / columns),
                    area.Top + (area.Height * row / rows));
            }
        }

        Draw(canvas, cutout, texture, [.. texture.Select(map)], columns, rows);
    }

    /// <summary>A strip (a sleeve, a trouser leg): rows of vertices given in both spaces, <paramref name="columns"/> + 1 per row.</summary>
    public static void Draw(SKCanvas canvas, SKImage cutout, SKPoint[] texture, SKPoint[] positions, int columns, int rows)
    {
        var indices = new List<ushort>(columns * rows * 6);
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var topLeft = (ushort)((row * (columns + 1)) + column);
                var topRight = (ushort)(topLeft + 1);
                var bottomLeft = (ushort)(topLeft + columns + 1);
                var bottomRight = (ushort)(bottomLeft + 1);
                indices.AddRange([topLeft, topRight, bottomLeft, topRight, bottomRight, bottomLeft]);
            }
        }

        using var shader = cutout.ToShader(SKShaderTileMode.Decal, SKShaderTileMode.Decal, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        using var vertices = SKVertices.CreateCopy(SKVertexMode.Triangles, positions, texture, null, [.. indices]);
        canvas.DrawVertices(vertices, SKBlendMode.Modulate, paint);
    }
}
