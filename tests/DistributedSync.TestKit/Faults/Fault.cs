using System.Globalization;

namespace DistributedSync.TestKit.Faults;

/// <summary>
/// What a <see cref="FaultProxy"/> does to the traffic it forwards. Switch it at run time with
/// <see cref="FaultProxy.SetFault"/>; every connection, open or new, follows the current fault
/// chunk by chunk. <see cref="ToString"/> gives a short text for logs ("delay 50ms±20ms").
/// </summary>
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>Pass everything through unchanged.</summary>
    public static Fault None { get; } = new NoFault();

    /// <summary>
    /// New connections are accepted and closed at once (the client reads EOF); open connections
    /// keep working.
    /// </summary>
    public static Fault DropNew { get; } = new DropNewFault();

    /// <summary>
    /// New connections are accepted but never answered; open connections stop delivering in both
    /// directions (bytes are read and discarded, so they are lost for good). Clients hang until
    /// their own timeouts. After a heal, connections still open forward again.
    /// </summary>
    public static Fault Blackhole { get; } = new BlackholeFault();

    /// <summary>
    /// Every open connection is reset (RST) when this fault is set, and new connections are
    /// reset right after accept while it stays set.
    /// </summary>
    public static Fault Reset { get; } = new ResetFault();

    /// <summary>
    /// Holds every chunk, in both directions, <paramref name="delay"/> plus a uniform random
    /// extra in [0, <paramref name="jitter"/>) before forwarding it; order is kept per direction.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative delay or jitter.</exception>
    public static Fault Delay(TimeSpan delay, TimeSpan jitter = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        return new DelayFault(delay, jitter);
    }

    /// <summary>Limits each direction of each connection to <paramref name="bytesPerSecond"/> (a token bucket).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or a negative rate.</exception>
    public static Fault Bandwidth(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        return new BandwidthFault(bytesPerSecond);
    }

    /// <summary>Milliseconds as "50ms" or "0.5ms", for <see cref="ToString"/>.</summary>
    private protected static string Milliseconds(TimeSpan value)
        => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}

/// <summary>See <see cref="Fault.None"/>.</summary>
public sealed record NoFault : Fault
{
    /// <inheritdoc />
    public override string ToString() => "none";
}

/// <summary>See <see cref="Fault.DropNew"/>.</summary>
public sealed record DropNewFault : Fault
{
    /// <inheritdoc />
    public override string ToString() => "drop new connections";
}

/// <summary>See <see cref="Fault.Blackhole"/>.</summary>
public sealed record BlackholeFault : Fault
{
    /// <inheritdoc />
    public override string ToString() => "blackhole";
}

/// <summary>See <see cref="Fault.Reset"/>.</summary>
public sealed record ResetFault : Fault
{
    /// <inheritdoc />
    public override string ToString() => "reset";
}

/// <summary>See <see cref="Fault.Delay"/>.</summary>
/// <param name="Latency">The fixed part of the hold.</param>
/// <param name="Jitter">The upper bound (exclusive) of the random extra.</param>
public sealed record DelayFault(TimeSpan Latency, TimeSpan Jitter) : Fault
{
    /// <summary>
    /// How long one chunk is held: <see cref="Latency"/> plus a uniform extra in
    /// [0, <see cref="Jitter"/>) drawn from <paramref name="random"/>. The proxy draws from a
    /// <see cref="Random"/> per connection and direction seeded from its own seed and the
    /// connection's accept order, so a run with the same seed and traffic draws the same holds.
    /// </summary>
    public TimeSpan NextHold(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Jitter <= TimeSpan.Zero)
        {
            return Latency;
        }

        var extra = (long)(random.NextDouble() * Jitter.Ticks);
        return Latency + TimeSpan.FromTicks(Math.Min(extra, Jitter.Ticks - 1));
    }

    /// <inheritdoc />
    public override string ToString()
        => Jitter > TimeSpan.Zero ? "delay " + Milliseconds(Latency) + "±" + Milliseconds(Jitter) : "delay " + Milliseconds(Latency);
}

/// <summary>See <see cref="Fault.Bandwidth"/>.</summary>
/// <param name="BytesPerSecond">The rate of each direction of each connection.</param>
public sealed record BandwidthFault(long BytesPerSecond) : Fault
{
    /// <inheritdoc />
    public override string ToString() => "bandwidth " + BytesPerSecond.ToString(CultureInfo.InvariantCulture) + " B/s";
}
