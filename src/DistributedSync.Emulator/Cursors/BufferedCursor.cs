using DistributedSync.Bson;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Cursors;

/// <summary>
/// A cursor over results computed up front (sorted queries, aggregation, listCollections,
/// listIndexes): it hands them out batch by batch and is exhausted when none are left.
/// </summary>
internal sealed class BufferedCursor : ServerCursor
{
    private readonly IReadOnlyList<BsonDocument> _results;
    private int _next;

    /// <summary>Creates a cursor over <paramref name="results"/>.</summary>
    public BufferedCursor(string database, string collection, CursorOwner owner, IReadOnlyList<BsonDocument> results)
        : base(database, collection, owner)
        => _results = results;

    /// <summary>How many results have not been handed out yet.</summary>
    public int Remaining => _results.Count - _next;

    /// <inheritdoc />
    public override CursorBatch NextBatch(StorageEngine storage, int? batchSize, OperationDeadline deadline)
    {
        var batch = new BatchBuilder(batchSize);
        while (_next < _results.Count && !batch.IsFull && batch.TryAdd(_results[_next]))
        {
            _next++;
        }

        return new CursorBatch(batch.Documents, _next >= _results.Count);
    }
}
