using DistributedSync.Bson;

namespace DistributedSync.Replication.Oplog;

/// <summary>
/// The BSON form of an oplog entry, as stored in the capped collection <c>distsync.oplog</c>:
/// <code>
/// { _id: Int64 index, t: Int64 term, op: "i"|"u"|"r"|"d"|"n", ns: "db.coll",
///   o: { ...document after the change... },   // i, u, r
///   id: &lt;_id of the deleted document&gt;,         // d
///   wall: DateTime }
/// </code>
/// The index is the <c>_id</c> on purpose: the unique <c>_id</c> index then guarantees that a
/// history holds one entry per index, so a stale writer that tries to append an index that is
/// already taken fails with a duplicate key instead of forking the oplog. Sorting by <c>_id</c>
/// is sorting by position.
/// </summary>
public static class OplogEntrySerializer
{
    /// <summary>The BSON document for <paramref name="entry"/>.</summary>
    public static BsonDocument ToBson(OplogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var doc = new BsonDocument(6)
            .Add("_id", entry.Position.Index)
            .Add("t", entry.Position.Term)
            .Add("op", OpCode(entry.Operation))
            .Add("ns", entry.Namespace);
        if (entry.Document is not null)
        {
            doc.Add("o", entry.Document);
        }
        else if (entry.Operation == OplogOperation.Delete)
        {
            doc.Add("id", entry.DocumentId!);
        }

        doc.Add("wall", new BsonDateTime(entry.WallTime.ToUnixTimeMilliseconds()));
        return doc;
    }

    /// <summary>Reads an entry written by <see cref="ToBson"/>.</summary>
    /// <exception cref="FormatException">A field is missing, has the wrong type, or the op code is unknown.</exception>
    public static OplogEntry FromBson(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var position = new OpPosition(OpPosition.ReadLong(document, "t"), OpPosition.ReadLong(document, "_id"));
        var wall = document.TryGetValue("wall", out var w) && w is BsonDateTime dt
            ? DateTimeOffset.FromUnixTimeMilliseconds(dt.MillisecondsSinceEpoch)
            : throw new FormatException($"The oplog entry {position} has no 'wall' date.");
        var op = document.TryGetValue("op", out var o) && o is BsonString s
            ? s.Value
            : throw new FormatException($"The oplog entry {position} has no 'op' string.");
        var ns = document.TryGetValue("ns", out var n) && n is BsonString nsString
            ? nsString.Value
            : throw new FormatException($"The oplog entry {position} has no 'ns' string.");
        try
        {
            return op switch
            {
                "i" => OplogEntry.Insert(position, ns, Body(document, position), wall),
                "u" => OplogEntry.Update(position, ns, Body(document, position), wall),
                "r" => OplogEntry.Replace(position, ns, Body(document, position), wall),
                "d" => OplogEntry.Delete(position, ns, document.TryGetValue("id", out var id) ? id : throw new FormatException($"The delete entry {position} has no 'id'."), wall),
                "n" => OplogEntry.Noop(position, wall),
                _ => throw new FormatException($"The oplog entry {position} has the unknown op code '{op}'."),
            };
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The oplog entry {position} is invalid: {e.Message}", e);
        }
    }

    /// <summary>The op code stored in the <c>op</c> field.</summary>
    public static string OpCode(OplogOperation operation) => operation switch
    {
        OplogOperation.Insert => "i",
        OplogOperation.Update => "u",
        OplogOperation.Replace => "r",
        OplogOperation.Delete => "d",
        OplogOperation.Noop => "n",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not an oplog operation."),
    };

    private static BsonDocument Body(BsonDocument document, OpPosition position)
        => document.TryGetValue("o", out var body) && body is BsonDocument d
            ? d
            : throw new FormatException($"The oplog entry {position} has no 'o' document.");
}
