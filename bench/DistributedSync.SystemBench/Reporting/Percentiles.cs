using System.Globalization;

namespace DistributedSync.SystemBench.Reporting;

/// <summary>Nearest-rank percentiles of a set of durations in milliseconds.</summary>
internal sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> values)
    {
        _sorted = values.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double P50 => At(50);

    public double P99 => At(99);

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>The nearest-rank <paramref name="percent"/>th percentile (NaN when empty).</summary>
    public double At(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>A duration in ms with a precision that suits its size.</summary>
    public static string Ms(double ms) => double.IsNaN(ms)
        ? "n/a"
        : ms < 10 ? ms.ToString("F2", CultureInfo.InvariantCulture)
        : ms < 100 ? ms.ToString("F1", CultureInfo.InvariantCulture)
        : ms.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds between two <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
    public static double Between(long from, long to)
        => (to - from) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
