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
    /// When true, a decoded OP_MSG keeps a private copy of each kind-1 document sequence's bytes,
    /// so <see cref="DocumentSequence.GetRawDocument"/> returns slices of it without re-encoding.
    /// Costs one copy of the sequence bytes; off by default.
    /// </summary>
    public bool RetainRawDocuments { get; init; }
}
