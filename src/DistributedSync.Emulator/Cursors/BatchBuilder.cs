using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Cursors;

/// <summary>
/// Collects one batch of a cursor reply under mongod's limits: at most the requested number of
/// documents (none means no count limit) and at most 16 MiB for the batch array as encoded
/// (each document plus its element overhead: type byte, index name, NUL), except that a batch
/// always takes at least one document however large. The reply envelope around the array
/// (cursor id, namespace, ok) fits in the 16 KiB a reply may exceed 16 MiB by.
/// </summary>
internal sealed class BatchBuilder
{
    /// <summary>mongod's byte limit of one batch (BSONObjMaxUserSize).</summary>
    public const int MaxBatchBytes = ServerVersion.MaxBsonObjectSize;

    private readonly int? _maxCount;
    private long _bytes;

    /// <summary>Creates a builder for at most <paramref name="maxCount"/> documents (null: no count limit).</summary>
    public BatchBuilder(int? maxCount) => _maxCount = maxCount;

    /// <summary>The documents collected so far.</summary>
    public List<BsonDocument> Documents { get; } = [];

    /// <summary>True when no more documents may be added (the count limit is reached).</summary>
    public bool IsFull => _maxCount is { } max && Documents.Count >= max;

    /// <summary>
    /// Adds <paramref name="document"/> unless it would take the batch over 16 MiB (a first
    /// document is always taken). <paramref name="size"/> is its BSON size when known.
    /// </summary>
    public bool TryAdd(BsonDocument document, int? size = null)
    {
        var bytes = (size ?? BsonCodec.GetEncodedSize(document)) + ElementOverhead(Documents.Count);
        if (Documents.Count > 0 && _bytes + bytes > MaxBatchBytes)
        {
            return false;
        }

        Documents.Add(document);
        _bytes += bytes;
        return true;
    }

    // An array element costs its type byte, its decimal index as the name, and the name's NUL.
    private static int ElementOverhead(int index)
        => 2 + (index < 10 ? 1 : (int)Math.Floor(Math.Log10(index)) + 1);
}
