using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Wire;

/// <summary>
/// An OP_MSG kind-1 section: an identifier naming a command argument (e.g. <c>documents</c> for
/// <c>insert</c>) and the documents that make up its value.
/// </summary>
public sealed class DocumentSequence
{
    /// <summary>How errors name a document of a sequence (followed by the identifier in quotes).</summary>
    internal const string DocumentLabel = "A document of sequence";

    // When retained: each document's bytes, in an array of its own (small arrays stay off the
    // large object heap, and a document's bytes can be kept without the rest of the section).
    private readonly byte[][]? _raw;

    // When decoding was deferred: each document's offset in the message, the limits to decode
    // with, and the documents once decoded.
    private readonly int[]? _offsets;
    private readonly BsonReaderOptions? _deferred;
    private IReadOnlyList<BsonDocument>? _documents;

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
        _documents = copy;
    }

    /// <summary>Creates a decoded sequence, optionally with its retained bytes.</summary>
    internal DocumentSequence(string identifier, IReadOnlyList<BsonDocument> documents, byte[][]? raw)
    {
        Identifier = identifier;
        _documents = documents;
        _raw = raw;
    }

    /// <summary>Creates a sequence of received documents, decoded on first use of <see cref="Documents"/>.</summary>
    internal DocumentSequence(string identifier, byte[][] raw, int[] offsets, BsonReaderOptions options)
    {
        Identifier = identifier;
        _raw = raw;
        _offsets = offsets;
        _deferred = options;
    }

    /// <summary>The name of the command argument the documents belong to.</summary>
    public string Identifier { get; }

    /// <summary>
    /// The documents, in order. For a sequence decoded with
    /// <see cref="WireLimits.DeferSequenceDocuments"/>, the first use decodes them.
    /// </summary>
    /// <exception cref="WireProtocolException">
    /// A deferred document is invalid BSON (the exception decoding the message at once would have
    /// thrown, offset in the message included).
    /// </exception>
    public IReadOnlyList<BsonDocument> Documents => Volatile.Read(ref _documents) ?? DecodeDeferred();

    /// <summary>The number of documents (known without decoding them).</summary>
    public int Count => _raw?.Length ?? _documents!.Count;

    /// <summary>
    /// True when the sequence was decoded with <see cref="WireLimits.RetainRawDocuments"/> or
    /// <see cref="WireLimits.DeferSequenceDocuments"/>, so <see cref="GetRawDocument"/> returns
    /// the received bytes without encoding.
    /// </summary>
    public bool HasRawDocuments => _raw is not null;

    /// <summary>
    /// The BSON bytes of document <paramref name="index"/>: a copy of the received bytes when
    /// <see cref="HasRawDocuments"/> (the whole of an array private to this sequence, never
    /// written after decoding), otherwise a fresh encoding of <see cref="Documents"/>[index].
    /// With deferred decoding the bytes have only had their length checked.
    /// </summary>
    public ReadOnlyMemory<byte> GetRawDocument(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _raw is null
            ? BsonCodec.ToBytes(Documents[index])
            : _raw[index];
    }

    private IReadOnlyList<BsonDocument> DecodeDeferred()
    {
        var documents = new BsonDocument[_raw!.Length];
        for (var i = 0; i < documents.Length; i++)
        {
            try
            {
                documents[i] = BsonCodec.Decode(_raw[i], _deferred);
            }
            catch (BsonFormatException e)
            {
                throw MessageReader.Error(_offsets![i] + e.Offset, DocumentLabel, Identifier, $"is invalid BSON: {e.Reason}", e);
            }
        }

        // Racing decodes produce equal lists; the first one published wins.
        return Interlocked.CompareExchange(ref _documents, documents, null) ?? documents;
    }
}
