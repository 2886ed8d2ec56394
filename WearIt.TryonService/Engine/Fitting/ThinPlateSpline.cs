using SkiaSharp;

namespace WearIt.TryonService.Engine.Fitting;

/// <summary>
/// A 2-D thin-plate spline through a dozen point pairs: the smoothest warp that sends each source point to its target.
/// NOTE: written here rather than taken from OpenCV's ThinPlateSplineShapeTransformer, whose warp applies the inverse
/// map to whole images; the mesh warp needs the forward map at a few hundred vertices, which this gives directly.
/// </summary>
public sealed class ThinPlateSpline
{
    private readonly SKPoint[] _sources;
    private readonly double[] _weightsX;
    private readonly double[] _weightsY;
    private readonly double _scale;

    public ThinPlateSpline(IReadOnlyList<SKPoint> sources, IReadOnlyList<SKPoint> targets, double regularisation = 1e-6)
    {
        var n = sources.Count;
        _sources = [.. sources];
        // Distances are measured in units of the sources' spread, so the system stays well conditioned.
        _scale = Math.Max(1, sources.Max(p => Math.Max(Math.Abs(p.X - sources[0].X), Math.Abs(p.Y - sources[0].Y))));
        var size = n + 3;
        var matrix = new double[size, size];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                matrix[i, j] = i == j ? regularisation : Kernel(sources[i], sources[j]);
            }

            matrix[i, n] = matrix[n, i] = 1;
            matrix[i, n + 1] = matrix[n + 1, i] = sources[i].X / _scale;
            matrix[i, n + 2] = matrix[n + 2, i] = sources[i].Y / _scale;
        }

        var right = new double[size, 2];
        for (var i = 0; i < n; i++)
        {
            right[i, 0] = targets[i].X;
            right[i, 1] = targets[i].Y;
        }

        Solve(matrix, right);
        _weightsX = [.. Enumerable.Range(0, size).Select(i => right[i, 0])];
        _weightsY = [.. Enumerable.Range(0, size).Select(i => right[i, 1])];
    }

    public SKPoint Map(SKPoint point)
    {
        var n = _sources.Length;
        double x = _weightsX[n] + (_weightsX[n + 1] * point.X / _scale) + (_weightsX[n + 2] * point.Y / _scale);
        double y = _weightsY[n] + (_weightsY[n + 1] * point.X / _scale) + (_weightsY[n + 2] * point.Y / _scale);
        for (var i = 0; i < n; i++)
        {
            var k = Kernel(point, _sources[i]);
            x += _weightsX[i] * k;
            y += _weightsY[i] * k;
        }

        return new SKPoint((float)x, (float)y);
    }

    private double Kernel(SKPoint a, SKPoint b)
    {
        var dx = (a.X - b.X) / _scale;
        var dy = (a.Y - b.Y) / _scale;
        var r2 = (dx * dx) + (dy * dy);
        return r2 < 1e-12 ? 0 : r2 * Math.Log(r2);
    }

    /// <summary>Gaussian elimination with partial pivoting, in place: <paramref name="right"/> becomes the solution.</summary>
    private static void Solve(double[,] matrix, double[,] right)
    {
        var size = matrix.GetLength(0);
        var columns = right.GetLength(1);
        for (var pivot = 0; pivot < size; pivot++)
        {
            var best = pivot;
            for (var row = pivot + 1; row < size; row++)
            {
                if (Math.Abs(matrix[row, pivot]) > Math.Abs(matrix[best, pivot]))
                {
                    best = row;
                }
            }

            if (Math.Abs(matrix[best, pivot]) < 1e-12)
            {
                throw new InvalidOperationException("The spline's points are degenerate (several coincide or all lie on a line).");
            }

            for (var column = 0; column < size; column++)
            {
                (matrix[pivot, column], matrix[best, column]) = (matrix[best, column], matrix[pivot, column]);
            }

            for (var column = 0; column < columns; column++)
            {
                (right[pivot, column], right[best, column]) = (right[best, column], right[pivot, column]);
            }

            for (var row = 0; row < size; row++)
            {
                if (row == pivot)
                {
                    continue;
                }

                var factor = matrix[row, pivot] / matrix[pivot, pivot];
                if (factor == 0)
                {
                    continue;
                }

                for (var column = pivot; column < size; column++)
                {
                    matrix[row, column] -= factor * matrix[pivot, column];
                }

                for (var column = 0; column < columns; column++)
                {
                    right[row, column] -= factor * right[pivot, column];
                }
            }
        }

        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                right[row, column] /= matrix[row, row];
            }
        }
    }
}
