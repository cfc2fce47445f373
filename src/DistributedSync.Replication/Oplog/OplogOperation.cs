namespace DistributedSync.Replication.Oplog;

/// <summary>What an oplog entry records. Every kind replays idempotently (see <see cref="OplogApplier"/>).</summary>
public enum OplogOperation
{
    /// <summary>A document was inserted; the entry holds the whole document (op code "i").</summary>
    Insert,

    /// <summary>A document was changed by update operators; the entry holds the document after the change (op code "u").</summary>
    Update,

    /// <summary>A document was replaced; the entry holds the new document (op code "r").</summary>
    Replace,

    /// <summary>A document was deleted; the entry holds its <c>_id</c> (op code "d").</summary>
    Delete,

    /// <summary>
    /// Changes no data (op code "n"). A new master writes one as the first entry of its term, so
    /// that its term has an entry a majority can hold, which is what lets older entries commit.
    /// </summary>
    Noop,
}
