namespace DistributedSync.TestKit.Faults;

/// <summary>The traffic counters of a <see cref="FaultProxy"/>, updated by every pump.</summary>
internal sealed class ProxyCounters
{
    private long _forwarded;
    private long _discarded;
    private int _held;

    /// <summary>Bytes written to either side.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Bytes read and thrown away by a blackhole.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>Chunks waiting now for a delay or a bandwidth limit.</summary>
    public int Held => Volatile.Read(ref _held);

    public void AddForwarded(int count) => Interlocked.Add(ref _forwarded, count);

    public void AddDiscarded(int count) => Interlocked.Add(ref _discarded, count);

    /// <summary>Counts a chunk as held until the returned scope is disposed.</summary>
    public HeldScope Hold()
    {
        Interlocked.Increment(ref _held);
        return new HeldScope(this);
    }

    /// <summary>Ends a <see cref="Hold"/>.</summary>
    internal readonly struct HeldScope(ProxyCounters counters) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref counters._held);
    }
}
