using DistributedSync.Bson;

namespace DistributedSync.Replication.Oplog;

/// <summary>
/// What applying one oplog entry does to a node's data, at the storage level. Every action is
/// idempotent: applying it twice, or applying it to a document that already has a later or an
/// earlier state, leaves the document exactly as the entry describes it.
/// </summary>
public abstract record ApplyAction
{
    private protected ApplyAction()
    {
    }
}

/// <summary>
/// Replace the document whose <c>_id</c> is <see cref="DocumentKey.Id"/> by <see cref="Document"/>,
/// inserting it when absent (MongoDB: <c>replaceOne({_id}, document, {upsert: true})</c>).
/// </summary>
/// <param name="Key">The document.</param>
/// <param name="Document">Its whole state after the change.</param>
public sealed record UpsertDocument(DocumentKey Key, BsonDocument Document) : ApplyAction;

/// <summary>Delete the document by <c>_id</c>; a missing document is not an error (MongoDB: <c>deleteOne({_id})</c>).</summary>
/// <param name="Key">The document.</param>
public sealed record DeleteDocument(DocumentKey Key) : ApplyAction;

/// <summary>Nothing to do (noop entries).</summary>
public sealed record NoAction : ApplyAction
{
    /// <summary>The only instance.</summary>
    public static NoAction Instance { get; } = new();
}
