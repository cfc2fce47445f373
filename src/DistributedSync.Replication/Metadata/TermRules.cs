using DistributedSync.Bson;

namespace DistributedSync.Replication.Metadata;

/// <summary>
/// The two rules that keep terms safe, as pure functions the host applies on every node:
/// compare-and-set of the term document, and fencing of oplog writes.
/// </summary>
public static class TermRules
{
    /// <summary>
    /// Compare-and-set of a node's term: the record becomes (<paramref name="term"/>,
    /// <paramref name="masterId"/>) only where the stored term is lower. The write succeeded
    /// when the stored record afterwards is exactly (term, masterId), which makes a retried
    /// write of the same record succeed again while a node that already holds the term for
    /// another master refuses; that is why two masters can never both gather a majority for
    /// one term.
    /// </summary>
    /// <returns>The record the node holds afterwards and whether the write succeeded.</returns>
    public static (TermRecord Stored, bool Succeeded) CompareAndSet(TermRecord stored, long term, int masterId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Term < term)
        {
            return (new TermRecord(term, masterId, now), true);
        }

        return (stored, stored.Term == term && stored.MasterId == masterId);
    }

    /// <summary>
    /// Fencing: a node accepts oplog writes (a master's own entries, or entries shipped to a
    /// slave) only from a writer acting in a term at least its stored term. The entries
    /// themselves may be from older terms (a term-5 master ships its term-4 history), but the
    /// writer's term never is.
    /// </summary>
    public static bool MayAccept(long storedTerm, long writerTerm) => writerTerm >= storedTerm;

    /// <summary>
    /// A writer acting in term T ships only entries of terms up to T. When the source's oplog
    /// holds an entry of a newer term, the source has since followed a newer master and the task
    /// shipping from it is stale: it must stop and report that term.
    /// </summary>
    /// <returns>The newest term above <paramref name="writerTerm"/> among the entries, or null.</returns>
    public static long? NewerTermIn(long writerTerm, IEnumerable<Oplog.OplogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        long? newer = null;
        foreach (var entry in entries)
        {
            if (entry.Position.Term > writerTerm && entry.Position.Term > (newer ?? 0))
            {
                newer = entry.Position.Term;
            }
        }

        return newer;
    }

    /// <summary>
    /// The MongoDB filter of the compare-and-set update: <c>{ _id: "term", term: { $lt: T } }</c>.
    /// Use it with <see cref="CompareAndSetUpdate"/> and <c>upsert: true</c>; a duplicate-key
    /// error then means the stored term is not lower (read the document back to tell whether it
    /// already holds this exact record).
    /// </summary>
    public static BsonDocument CompareAndSetFilter(long term)
        => new BsonDocument("_id", MetadataNames.TermDocumentId).Add("term", new BsonDocument("$lt", term));

    /// <summary>The update of the compare-and-set: <c>{ $set: { term, masterId, updatedAt } }</c>.</summary>
    public static BsonDocument CompareAndSetUpdate(long term, int masterId, DateTimeOffset now)
        => new("$set", new BsonDocument(3)
            .Add("term", term)
            .Add("masterId", masterId)
            .Add("updatedAt", new BsonDateTime(now.ToUnixTimeMilliseconds())));
}
