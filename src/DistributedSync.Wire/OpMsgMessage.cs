using DistributedSync.Bson;

namespace DistributedSync.Wire;

/// <summary>
/// An OP_MSG: flag bits, exactly one body document (section kind 0) and any number of document
/// sequences (section kind 1) with distinct identifiers. Used in both directions.
/// </summary>
public sealed class OpMsgMessage : WireMessage
{
    private static readonly DocumentSequence[] NoSequences = [];

    /// <summary>Creates a message with a body and optional document sequences.</summary>
    /// <exception cref="ArgumentException">Two sequences share an identifier, or a required flag bit is unknown.</exception>
    public OpMsgMessage(BsonDocument body, IEnumerable<DocumentSequence>? sequences = null, OpMsgFlags flags = OpMsgFlags.None)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        Flags = flags;
        if (sequences is null)
        {
            Sequences = NoSequences;
            return;
        }

        DocumentSequence[] copy = [.. sequences];
        for (var i = 0; i < copy.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(copy[i], nameof(sequences));
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(copy[i].Identifier, copy[j].Identifier, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Two document sequences are named '{copy[i].Identifier}'.", nameof(sequences));
                }
            }
        }

        Sequences = copy;
    }

    /// <summary>Creates a decoded message without copying or re-validating.</summary>
    internal OpMsgMessage(OpMsgFlags flags, BsonDocument body, IReadOnlyList<DocumentSequence> sequences)
    {
        Flags = flags;
        Body = body;
        Sequences = sequences;
    }

    /// <inheritdoc />
    public override OpCode OpCode => OpCode.Msg;

    /// <summary>
    /// The flag bits. On encoding, <see cref="OpMsgFlags.ChecksumPresent"/> asks for a CRC-32C to
    /// be appended; unknown optional bits (16-31) are written as given. On decoding, the bits are
    /// as received (unknown optional bits included).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown required bit (0-15) is set.</exception>
    public OpMsgFlags Flags
    {
        get;
        init => field = OpMsgFlagBits.UnknownRequiredBits(value) == 0
            ? value
            : throw new ArgumentException($"Unknown required OP_MSG flag bits 0x{OpMsgFlagBits.UnknownRequiredBits(value):X4}.", nameof(value));
    }

    /// <summary>The body (section kind 0): the command, or the reply.</summary>
    public BsonDocument Body { get; }

    /// <summary>The document sequences (section kind 1), in wire order.</summary>
    public IReadOnlyList<DocumentSequence> Sequences { get; }

    /// <summary>True when <see cref="OpMsgFlags.ChecksumPresent"/> is set.</summary>
    public bool ChecksumPresent => (Flags & OpMsgFlags.ChecksumPresent) != 0;

    /// <summary>True when <see cref="OpMsgFlags.MoreToCome"/> is set.</summary>
    public bool MoreToCome => (Flags & OpMsgFlags.MoreToCome) != 0;

    /// <summary>True when <see cref="OpMsgFlags.ExhaustAllowed"/> is set.</summary>
    public bool ExhaustAllowed => (Flags & OpMsgFlags.ExhaustAllowed) != 0;

    /// <summary>The sequence named <paramref name="identifier"/>, or null.</summary>
    public DocumentSequence? GetSequence(string identifier)
    {
        foreach (var s in Sequences)
        {
            if (string.Equals(s.Identifier, identifier, StringComparison.Ordinal))
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>
    /// A reply to <paramref name="request"/>: <c>responseTo</c> set to its request id, a fresh
    /// request id from <see cref="RequestIds"/>, and the given flags (e.g. <see cref="OpMsgFlags.MoreToCome"/>
    /// for exhaust replies).
    /// </summary>
    public static OpMsgMessage CreateReply(WireMessage request, BsonDocument body, OpMsgFlags flags = OpMsgFlags.None)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OpMsgMessage(body, null, flags) { ResponseTo = request.RequestId, RequestId = RequestIds.Next() };
    }
}
