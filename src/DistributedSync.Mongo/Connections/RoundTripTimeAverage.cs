namespace DistributedSync.Mongo.Connections;

/// <summary>
/// The exponentially weighted moving average of round-trip times that server monitoring uses:
/// the first sample is taken as is, each later one weighs <see cref="Alpha"/> (0.2). Thread safe.
/// </summary>
public sealed class RoundTripTimeAverage
{
    /// <summary>The weight of a new sample.</summary>
    public const double Alpha = 0.2;

    private readonly Lock _gate = new();
    private double _averageTicks = -1;

    /// <summary>The current average, or <see cref="TimeSpan.Zero"/> before the first sample.</summary>
    public TimeSpan Average
    {
        get
        {
            lock (_gate)
            {
                return _averageTicks < 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)_averageTicks);
            }
        }
    }

    /// <summary>Adds a sample and returns the new average.</summary>
    public TimeSpan AddSample(TimeSpan sample)
    {
        var ticks = Math.Max(0, sample.Ticks);
        lock (_gate)
        {
            _averageTicks = _averageTicks < 0 ? ticks : (Alpha * ticks) + ((1 - Alpha) * _averageTicks);
            return TimeSpan.FromTicks((long)_averageTicks);
        }
    }

    /// <summary>Forgets every sample (after the server became unreachable).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _averageTicks = -1;
        }
    }
}
