using DistributedSync.Bson;

namespace DistributedSync.Emulator.Cursors;

/// <summary>The cursor reply shapes of find, aggregate, getMore and the listing commands.</summary>
internal static class CursorReply
{
    /// <summary><c>{cursor: {firstBatch, id, ns}}</c> (find and aggregate).</summary>
    public static BsonDocument First(IEnumerable<BsonDocument> batch, long id, string ns)
        => Build("firstBatch", batch, id, ns);

    /// <summary><c>{cursor: {nextBatch, id, ns}}</c> (getMore).</summary>
    public static BsonDocument Next(IEnumerable<BsonDocument> batch, long id, string ns)
        => Build("nextBatch", batch, id, ns);

    /// <summary><c>{cursor: {id, ns, firstBatch}}</c> (listCollections and listIndexes put the id first).</summary>
    public static BsonDocument Listing(IEnumerable<BsonDocument> batch, long id, string ns)
        => new("cursor", new BsonDocument
        {
            { "id", id },
            { "ns", ns },
            { "firstBatch", new BsonArray(batch) },
        });

    private static BsonDocument Build(string field, IEnumerable<BsonDocument> batch, long id, string ns)
        => new("cursor", new BsonDocument
        {
            { field, new BsonArray(batch) },
            { "id", id },
            { "ns", ns },
        });
}
