namespace DistributedSync.Wire;

/// <summary>
/// A decoded or to-be-encoded wire-protocol message. The header's length is computed on encoding;
/// the request and response identifiers are carried here. Messages hold references to their
/// documents and do not copy them.
/// </summary>
public abstract class WireMessage
{
    private protected WireMessage()
    {
    }

    /// <summary>The operation code that identifies the message type.</summary>
    public abstract OpCode OpCode { get; }

    /// <summary>The sender's identifier for this message (the header's <c>requestID</c>).</summary>
    public int RequestId { get; init; }

    /// <summary>The <c>requestID</c> of the message this one answers; 0 for requests.</summary>
    public int ResponseTo { get; init; }
}
