using DistributedSync.Bson.IO;

namespace DistributedSync.Wire;

/// <summary>
/// Limits and options applied when reading or writing messages. Every length read from the wire
/// is checked against them before any buffer of that size is allocated.
/// </summary>
public sealed record WireLimits
{
    /// <summary>MongoDB's default <c>maxMessageSizeBytes</c>: 48,000,000.</summary>
    public const int DefaultMaxMessageSize = 48_000_000;

    /// <summary>The defaults: 48,000,000-byte messages and <see cref="BsonReaderOptions.Default"/> for documents.</summary>
    public static WireLimits Default { get; } = new();

    /// <summary>
    /// The largest accepted value of the <c>messageLength</c> header field (header included), and
    /// the largest message the encoder produces. Must be at least <see cref="MessageHeader.Size"/>.
    /// </summary>
    public int MaxMessageSize
    {
        get;
        init => field = value >= MessageHeader.Size
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), value, $"The maximum message size must be at least {MessageHeader.Size}.");
    } = DefaultMaxMessageSize;

    /// <summary>
    /// The limits for every BSON document inside a message (size and nesting depth); by default
    /// 16 MiB + 16 KiB and 200 levels, what mongod accepts on the wire.
    /// </summary>
    public BsonReaderOptions Documents
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Documents));
    } = BsonReaderOptions.Default;

    /// <summary>
    /// When true, a decoded OP_MSG keeps a private copy of the bytes of each document of its kind-1
    /// document sequences, so <see cref="DocumentSequence.GetRawDocument"/> returns them without
    /// re-encoding. Costs one copy of the sequence bytes (one array per document); off by default.
    /// </summary>
    public bool RetainRawDocuments { get; init; }

    /// <summary>
    /// When true, the documents of kind-1 document sequences are not decoded with the message:
    /// each one's declared length is checked as usual and its bytes are kept as with
    /// <see cref="RetainRawDocuments"/>, and <see cref="DocumentSequence.Documents"/> decodes them
    /// on first use, throwing <see cref="WireProtocolException"/> then if one is invalid BSON.
    /// For a receiver that checks the bytes itself and may never need the decoded documents (a
    /// server storing inserted documents as received). Off by default.
    /// </summary>
    public bool DeferSequenceDocuments { get; init; }
}
