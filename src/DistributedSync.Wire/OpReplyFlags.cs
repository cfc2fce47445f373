namespace DistributedSync.Wire;

/// <summary>The <c>responseFlags</c> of a legacy OP_REPLY.</summary>
[Flags]
#pragma warning disable CA1711 // Named after the wire-format field.
public enum OpReplyFlags
#pragma warning restore CA1711
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>Bit 0: the get-more named a cursor the server does not have.</summary>
    CursorNotFound = 1 << 0,

    /// <summary>Bit 1: the query failed; the single document is an error document.</summary>
    QueryFailure = 1 << 1,

    /// <summary>Bit 2: internal sharding flag.</summary>
    ShardConfigStale = 1 << 2,

    /// <summary>Bit 3: the server supports await-data.</summary>
    AwaitCapable = 1 << 3,
}
