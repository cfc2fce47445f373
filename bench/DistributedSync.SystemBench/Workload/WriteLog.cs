namespace DistributedSync.SystemBench.Workload;

/// <summary>
/// Per sequence number (1..Capacity): when the write was sent and acknowledged (Stopwatch
/// timestamps) and its state. Shared by the writers and the visibility watchers, which skip the
/// sequence numbers whose write failed.
/// </summary>
internal sealed class WriteLog
{
    public const byte Pending = 0;
    public const byte Acknowledged = 1;
    public const byte Failed = 2;

    private readonly long[] _sentAt;
    private readonly long[] _ackAt;
    private readonly byte[] _state;
    private int _highest;

    public WriteLog(int capacity)
    {
        Capacity = capacity;
        _sentAt = new long[capacity + 1];
        _ackAt = new long[capacity + 1];
        _state = new byte[capacity + 1];
    }

    public int Capacity { get; }

    /// <summary>The highest sequence number sent so far.</summary>
    public int Highest => Volatile.Read(ref _highest);

    public void Record(int seq, WriteAck ack)
    {
        _sentAt[seq] = ack.SentAt;
        _ackAt[seq] = ack.AckAt;
        Volatile.Write(ref _state[seq], ack.Ok ? Acknowledged : Failed);
    }

    /// <summary>Marks <paramref name="seq"/> as sent (it may become visible before its answer arrives).</summary>
    public void Sending(int seq)
    {
        int current;
        while ((current = Volatile.Read(ref _highest)) < seq && Interlocked.CompareExchange(ref _highest, seq, current) != current)
        {
        }
    }

    public byte State(int seq) => Volatile.Read(ref _state[seq]);

    public long SentAt(int seq) => _sentAt[seq];

    public long AckAt(int seq) => _ackAt[seq];

    /// <summary>The sequence numbers of the acknowledged writes, ascending.</summary>
    public IEnumerable<int> AcknowledgedSeqs()
    {
        for (var seq = 1; seq <= Highest; seq++)
        {
            if (_state[seq] == Acknowledged)
            {
                yield return seq;
            }
        }
    }

    public int Count(byte state)
    {
        var n = 0;
        for (var seq = 1; seq <= Highest; seq++)
        {
            n += _state[seq] == state ? 1 : 0;
        }

        return n;
    }
}
