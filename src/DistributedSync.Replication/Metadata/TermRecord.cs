using DistributedSync.Bson;

namespace DistributedSync.Replication.Metadata;

/// <summary>
/// A node's stored election term: <c>{ _id: "term", term: Int64, masterId: Int32, updatedAt: Date }</c>.
/// The stored term only ever grows (it is written by compare-and-set, see <see cref="TermRules"/>).
/// A node that never saw an election has no document, which reads as <see cref="None"/>.
/// </summary>
/// <param name="Term">The highest term this node has accepted.</param>
/// <param name="MasterId">The node elected master in that term.</param>
/// <param name="UpdatedAt">When it was written (informational).</param>
public sealed record TermRecord(long Term, int MasterId, DateTimeOffset UpdatedAt)
{
    /// <summary>Term 0: no election seen yet.</summary>
    public static TermRecord None { get; } = new(0, 0, DateTimeOffset.UnixEpoch);

    /// <summary>The metadata document.</summary>
    public BsonDocument ToBson() => new BsonDocument(4)
        .Add("_id", MetadataNames.TermDocumentId)
        .Add("term", Term)
        .Add("masterId", MasterId)
        .Add("updatedAt", new BsonDateTime(UpdatedAt.ToUnixTimeMilliseconds()));

    /// <summary>Reads the metadata document; null reads as <see cref="None"/>.</summary>
    /// <exception cref="FormatException">A field is missing or has the wrong type.</exception>
    public static TermRecord FromBson(BsonDocument? document)
    {
        if (document is null)
        {
            return None;
        }

        var term = Oplog.OpPosition.ReadLong(document, "term");
        var master = (int)Oplog.OpPosition.ReadLong(document, "masterId");
        var updated = document.TryGetValue("updatedAt", out var u) && u is BsonDateTime d
            ? DateTimeOffset.FromUnixTimeMilliseconds(d.MillisecondsSinceEpoch)
            : DateTimeOffset.UnixEpoch;
        return new TermRecord(term, master, updated);
    }
}
