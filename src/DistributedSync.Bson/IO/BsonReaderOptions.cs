namespace DistributedSync.Bson.IO;

/// <summary>
/// Limits the BSON decoder enforces before it trusts any length in the input. The defaults accept
/// every document a MongoDB server accepts or sends over the wire.
/// </summary>
public sealed record BsonReaderOptions
{
    /// <summary>
    /// 16 MiB + 16 KiB: the largest BSON object mongod accepts as a command body (its user document
    /// limit, <c>maxBsonObjectSize</c> = 16 MiB, plus the 16 KiB of headroom it allows for the
    /// command fields around a maximum-size document, e.g. an insert of one 16 MiB document).
    /// </summary>
    public const int DefaultMaxDocumentSize = (16 * 1024 * 1024) + (16 * 1024);

    /// <summary>
    /// 200: mongod's <c>maxBSONDepth</c> default, the nesting depth its BSON validation accepts for
    /// anything on the wire. Stored documents are limited to <see cref="MaxStoredDocumentDepth"/>
    /// levels, and command bodies and replies wrap such documents in a few more levels
    /// (<c>{cursor: {firstBatch: [doc]}}</c>), so the wire limit is the right default for a decoder.
    /// </summary>
    public const int DefaultMaxDepth = 200;

    /// <summary>
    /// 100: the documented MongoDB limit for the nesting of a stored document ("no more than 100
    /// levels of nesting for BSON documents"; each document or array adds a level, the top-level
    /// document counting as the first). An emulator checks inserted documents against it.
    /// </summary>
    public const int MaxStoredDocumentDepth = 100;

    /// <summary>The largest depth an option may ask for: the decoder recurses once per level.</summary>
    public const int DepthCeiling = 1024;

    private readonly int _maxDocumentSize = DefaultMaxDocumentSize;
    private readonly int _maxDepth = DefaultMaxDepth;

    /// <summary>The defaults: <see cref="DefaultMaxDocumentSize"/> and <see cref="DefaultMaxDepth"/>.</summary>
    public static BsonReaderOptions Default { get; } = new();

    /// <summary>
    /// The largest top-level document accepted, in bytes (at least 5, the size of an empty
    /// document). A declared length above it is rejected before any byte of the body is read.
    /// </summary>
    public int MaxDocumentSize
    {
        get => _maxDocumentSize;
        init => _maxDocumentSize = value >= 5
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDocumentSize), value, "A BSON document has at least 5 bytes.");
    }

    /// <summary>
    /// The deepest nesting accepted: the top-level document is level 1 and each embedded document,
    /// array or code-with-scope scope adds one. Between 1 and <see cref="DepthCeiling"/>.
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = value is >= 1 and <= DepthCeiling
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, $"The depth limit must be between 1 and {DepthCeiling}.");
    }
}
