namespace DistributedSync.Wire;

/// <summary>The <c>flags</c> of a legacy OP_QUERY. Bit 0 and bits 8-31 are reserved.</summary>
[Flags]
#pragma warning disable CA1711 // Named after the wire-format field.
public enum OpQueryFlags
#pragma warning restore CA1711
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>Bit 1: leave the cursor open after the last document.</summary>
    TailableCursor = 1 << 1,

    /// <summary>Bit 2: the query may run on a secondary (formerly "slaveOk").</summary>
    SecondaryOk = 1 << 2,

    /// <summary>Bit 3: internal replication flag.</summary>
    OplogReplay = 1 << 3,

    /// <summary>Bit 4: do not time the cursor out.</summary>
    NoCursorTimeout = 1 << 4,

    /// <summary>Bit 5: with <see cref="TailableCursor"/>, block for more data.</summary>
    AwaitData = 1 << 5,

    /// <summary>Bit 6: stream all results without further get-more requests.</summary>
    Exhaust = 1 << 6,

    /// <summary>Bit 7: return partial results when some shards are down.</summary>
    Partial = 1 << 7,
}
