using DistributedSync.Bson;

namespace DistributedSync.Replication.Oplog;

/// <summary>
/// One entry of the application-level oplog: where it sits (<see cref="Position"/>), which
/// collection it touched, what happened and what replays it. Replay never depends on the state
/// it is applied to: inserts, updates and replaces carry the whole document after the change,
/// deletes carry the deleted <c>_id</c>. Instances are immutable by contract: the document is
/// not copied, so callers must not change it after creating the entry.
/// </summary>
public sealed record OplogEntry
{
    private OplogEntry(OpPosition position, string ns, OplogOperation operation, BsonDocument? document, BsonValue? documentId, DateTimeOffset wallTime)
    {
        if (position.Term < 1 || position.Index < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "An entry's term and index start at 1.");
        }

        Position = position;
        Namespace = ns;
        Operation = operation;
        Document = document;
        DocumentId = documentId;
        WallTime = wallTime;
    }

    /// <summary>The entry's (term, index).</summary>
    public OpPosition Position { get; }

    /// <summary>"database.collection" of the touched document; empty for <see cref="OplogOperation.Noop"/>.</summary>
    public string Namespace { get; }

    /// <summary>What happened.</summary>
    public OplogOperation Operation { get; }

    /// <summary>The whole document after the change (insert, update, replace); null for delete and noop.</summary>
    public BsonDocument? Document { get; }

    /// <summary>The touched document's <c>_id</c>; null only for noop.</summary>
    public BsonValue? DocumentId { get; }

    /// <summary>When the master wrote the entry (informational; never used to order entries).</summary>
    public DateTimeOffset WallTime { get; }

    /// <summary>The touched document, or null for a noop.</summary>
    public DocumentKey? Key => DocumentId is null ? null : new DocumentKey(Namespace, DocumentId);

    /// <summary>An insert of <paramref name="document"/> (which must have an <c>_id</c>).</summary>
    public static OplogEntry Insert(OpPosition position, string ns, BsonDocument document, DateTimeOffset wallTime)
        => WithDocument(position, ns, OplogOperation.Insert, document, wallTime);

    /// <summary>An update whose result is <paramref name="documentAfter"/>.</summary>
    public static OplogEntry Update(OpPosition position, string ns, BsonDocument documentAfter, DateTimeOffset wallTime)
        => WithDocument(position, ns, OplogOperation.Update, documentAfter, wallTime);

    /// <summary>A replacement by <paramref name="documentAfter"/>.</summary>
    public static OplogEntry Replace(OpPosition position, string ns, BsonDocument documentAfter, DateTimeOffset wallTime)
        => WithDocument(position, ns, OplogOperation.Replace, documentAfter, wallTime);

    /// <summary>A delete of the document whose <c>_id</c> is <paramref name="id"/>.</summary>
    public static OplogEntry Delete(OpPosition position, string ns, BsonValue id, DateTimeOffset wallTime)
    {
        ValidateNamespace(ns);
        ArgumentNullException.ThrowIfNull(id);
        return new OplogEntry(position, ns, OplogOperation.Delete, null, id, wallTime);
    }

    /// <summary>An entry that changes nothing (a new master's first entry of its term).</summary>
    public static OplogEntry Noop(OpPosition position, DateTimeOffset wallTime)
        => new(position, string.Empty, OplogOperation.Noop, null, null, wallTime);

    /// <summary>The same entry at another position (the host numbers a batch's entries).</summary>
    public OplogEntry AtPosition(OpPosition position)
        => new(position, Namespace, Operation, Document, DocumentId, WallTime);

    /// <summary>"(t, i) op ns/_id" for messages.</summary>
    public override string ToString() => Operation == OplogOperation.Noop
        ? $"{Position} noop"
        : $"{Position} {Operation} {Namespace}/{DocumentId}";

    private static OplogEntry WithDocument(OpPosition position, string ns, OplogOperation operation, BsonDocument document, DateTimeOffset wallTime)
    {
        ValidateNamespace(ns);
        ArgumentNullException.ThrowIfNull(document);
        if (!document.TryGetValue("_id", out var id))
        {
            throw new ArgumentException("The document after the change must have an _id.", nameof(document));
        }

        return new OplogEntry(position, ns, operation, document, id, wallTime);
    }

    private static void ValidateNamespace(string ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == ns.Length - 1)
        {
            throw new ArgumentException($"'{ns}' is not a namespace of the form database.collection.", nameof(ns));
        }
    }
}
