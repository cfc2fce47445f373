namespace DistributedSync.Replication.Sync;

/// <summary>What a node must do to follow a source (see <see cref="SyncPlanner.Decide"/>).</summary>
public enum SyncAction
{
    /// <summary>The node's last position is on the source's history: fetch and apply what follows it.</summary>
    Continue,

    /// <summary>The node holds entries the source does not have: find the common point and roll back.</summary>
    Rollback,

    /// <summary>The node cannot follow incrementally: copy everything again.</summary>
    Resync,
}
