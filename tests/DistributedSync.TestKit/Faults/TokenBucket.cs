using System.Diagnostics;

namespace DistributedSync.TestKit.Faults;

/// <summary>
/// A token bucket for one direction of one connection: tokens (bytes) accrue at
/// <see cref="BytesPerSecond"/> up to a burst of 1/20 s worth (at least one byte), and the bucket
/// starts full. Not thread safe: one pump owns it.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(BandwidthFault fault)
    {
        Fault = fault;
        BytesPerSecond = fault.BytesPerSecond;
        _capacity = Math.Max(1d, BytesPerSecond / 20d);
        _tokens = _capacity;
        _refilledAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The fault this bucket was made for (a new fault gets a new bucket).</summary>
    public BandwidthFault Fault { get; }

    /// <summary>The rate.</summary>
    public long BytesPerSecond { get; }

    /// <summary>The most bytes one <see cref="TryTake"/> can ever grant: the burst.</summary>
    public int MaxTake => (int)Math.Min(int.MaxValue, Math.Floor(_capacity));

    /// <summary>
    /// Takes <paramref name="count"/> tokens (at most <see cref="MaxTake"/>) and returns zero, or
    /// takes nothing and returns how long until there are enough.
    /// </summary>
    public TimeSpan TryTake(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxTake);
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds;
        _refilledAt = now;
        _tokens = Math.Min(_capacity, _tokens + (seconds * BytesPerSecond));
        if (_tokens >= count)
        {
            _tokens -= count;
            return TimeSpan.Zero;
        }

        var missing = count - _tokens;
        return TimeSpan.FromSeconds(missing / BytesPerSecond) + TimeSpan.FromMilliseconds(1);
    }
}
