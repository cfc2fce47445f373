namespace DistributedSync.Replication.Metadata;

/// <summary>How far a node's data can be trusted, stored in its <see cref="ReplicationRecord"/>.</summary>
public enum ReplicationState
{
    /// <summary>Data equals the replay of the node's oplog up to its applied position ("secondary").</summary>
    Consistent,

    /// <summary>
    /// After a rollback or a resync the data may hold changes from later than the applied
    /// position; it becomes consistent once the node applies its source's history up to
    /// <see cref="ReplicationRecord.MinValid"/> ("recovering"). Such a node is never elected.
    /// </summary>
    Recovering,

    /// <summary>A rollback started and has not finished; the next attempt redoes it ("rollback").</summary>
    RollingBack,

    /// <summary>A full resync started and has not finished; the next attempt starts it over ("resync").</summary>
    Resyncing,
}
