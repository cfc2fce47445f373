using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Wire;

/// <summary>
/// An OP_MSG kind-1 section: an identifier naming a command argument (e.g. <c>documents</c> for
/// <c>insert</c>) and the documents that make up its value.
/// </summary>
public sealed class DocumentSequence
{
    // When retained: the section's document bytes, and Count + 1 start offsets into them.
    private readonly ReadOnlyMemory<byte> _raw;
    private readonly int[]? _starts;

    /// <summary>Creates a sequence of <paramref name="documents"/> under <paramref name="identifier"/>.</summary>
    /// <exception cref="ArgumentException">The identifier contains a NUL character or an unpaired surrogate.</exception>
    public DocumentSequence(string identifier, IEnumerable<BsonDocument> documents)
    {
        WireStrings.ValidateCString(identifier, nameof(identifier));
        ArgumentNullException.ThrowIfNull(documents);

        BsonDocument[] copy = [.. documents];
        foreach (var d in copy)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(documents));
        }

        Identifier = identifier;
        Documents = copy;
    }

    /// <summary>Creates a decoded sequence, optionally with its retained bytes.</summary>
    internal DocumentSequence(string identifier, IReadOnlyList<BsonDocument> documents, ReadOnlyMemory<byte> raw, int[]? starts)
    {
        Identifier = identifier;
        Documents = documents;
        _raw = raw;
        _starts = starts;
    }

    /// <summary>The name of the command argument the documents belong to.</summary>
    public string Identifier { get; }

    /// <summary>The documents, in order.</summary>
    public IReadOnlyList<BsonDocument> Documents { get; }

    /// <summary>
    /// True when the sequence was decoded with <see cref="WireLimits.RetainRawDocuments"/>, so
    /// <see cref="GetRawDocument"/> returns the received bytes without encoding.
    /// </summary>
    public bool HasRawDocuments => _starts is not null;

    /// <summary>
    /// The BSON bytes of document <paramref name="index"/>: a slice of the received bytes when
    /// <see cref="HasRawDocuments"/>, otherwise a fresh encoding of <see cref="Documents"/>[index].
    /// </summary>
    public ReadOnlyMemory<byte> GetRawDocument(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Documents.Count);
        return _starts is null
            ? BsonCodec.ToBytes(Documents[index])
            : _raw[_starts[index].._starts[index + 1]];
    }
}
