namespace DistributedSync.Wire;

/// <summary>The operation codes of the MongoDB wire protocol (the <c>opCode</c> header field).</summary>
#pragma warning disable CA1028 // The wire format defines the values as int32.
public enum OpCode
#pragma warning restore CA1028
{
    /// <summary>Reply to an <see cref="Query"/> (legacy; still used for the first handshake).</summary>
    Reply = 1,

    /// <summary>Legacy update (removed from servers in 6.0).</summary>
    Update = 2001,

    /// <summary>Legacy insert (removed from servers in 6.0).</summary>
    Insert = 2002,

    /// <summary>Formerly OP_GET_BY_OID; reserved.</summary>
    Reserved = 2003,

    /// <summary>Legacy query; drivers still send their first <c>hello</c> with it.</summary>
    Query = 2004,

    /// <summary>Legacy get-more (removed from servers in 6.0).</summary>
    GetMore = 2005,

    /// <summary>Legacy delete (removed from servers in 6.0).</summary>
    Delete = 2006,

    /// <summary>Legacy kill-cursors (removed from servers in 6.0).</summary>
    KillCursors = 2007,

    /// <summary>A compressed wrapper around another message.</summary>
    Compressed = 2012,

    /// <summary>The extensible message format used for every command since MongoDB 3.6.</summary>
    Msg = 2013,
}
