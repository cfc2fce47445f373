namespace DistributedSync.Replication.Oplog;

/// <summary>
/// The idempotent apply semantics of the oplog, as a function from an entry to a storage action,
/// plus a reference implementation over an in-memory dictionary (used by tests and simulations).
/// Insert, update and replace all become "upsert the full post-image by <c>_id</c>"; delete
/// becomes "delete by <c>_id</c>"; noop does nothing. Because no action reads the current
/// state, replaying any suffix of the oplog any number of times, in order, ends in the state the
/// master had after the last replayed entry, for every document that suffix touches.
/// </summary>
public static class OplogApplier
{
    /// <summary>The storage action that replays <paramref name="entry"/>.</summary>
    public static ApplyAction ToAction(OplogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Operation switch
        {
            OplogOperation.Insert or OplogOperation.Update or OplogOperation.Replace
                => new UpsertDocument(entry.Key!.Value, entry.Document!),
            OplogOperation.Delete => new DeleteDocument(entry.Key!.Value),
            _ => NoAction.Instance,
        };
    }

    /// <summary>Applies one action to an in-memory collection set (the reference semantics).</summary>
    public static void Apply(IDictionary<DocumentKey, Bson.BsonDocument> data, ApplyAction action)
    {
        ArgumentNullException.ThrowIfNull(data);
        switch (action)
        {
            case UpsertDocument upsert:
                data[upsert.Key] = upsert.Document;
                break;
            case DeleteDocument delete:
                data.Remove(delete.Key);
                break;
            case NoAction:
                break;
            default:
                throw new ArgumentException($"Unknown action {action}.", nameof(action));
        }
    }

    /// <summary>Applies entries in order to an in-memory collection set.</summary>
    public static void Apply(IDictionary<DocumentKey, Bson.BsonDocument> data, IEnumerable<OplogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Apply(data, ToAction(entry));
        }
    }
}
