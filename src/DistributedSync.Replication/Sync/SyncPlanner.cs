using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Sync;

/// <summary>
/// The resync / rollback / continue decision of a follower, and the check that ends the
/// recovering state after a rollback or resync.
/// </summary>
public static class SyncPlanner
{
    /// <summary>
    /// Decides how a node at <paramref name="followerLast"/> follows a source:
    /// <list type="number">
    /// <item>an unfinished resync or rollback (from the stored state) is redone;</item>
    /// <item>an empty node continues when the source still holds its whole history (oldest index 1, or empty), else resyncs;</item>
    /// <item>the source has the same (term, index) → continue after it;</item>
    /// <item>the node's index is older than the source's oldest retained entry → resync (it fell off the capped oplog);</item>
    /// <item>otherwise the histories diverged (same index with another term, or the node is past the source's end):
    /// a consistent node rolls back to the common point (the planner falls back to resync when there is none),
    /// while a recovering node resyncs, because its data may already hold changes that are on no oplog it can see.</item>
    /// </list>
    /// </summary>
    public static SyncAction Decide(ReplicationState followerState, OpPosition followerLast, OplogProbe source)
    {
        ArgumentNullException.ThrowIfNull(source);
        switch (followerState)
        {
            case ReplicationState.Resyncing:
                return SyncAction.Resync;
            case ReplicationState.RollingBack:
                return SyncAction.Rollback;
        }

        if (followerLast.IsZero)
        {
            return source.Oldest is null || source.Oldest.Value.Index == 1 ? SyncAction.Continue : SyncAction.Resync;
        }

        if (source.TermAtIndex == followerLast.Term)
        {
            return SyncAction.Continue;
        }

        if (source.Oldest is { } oldest && followerLast.Index < oldest.Index)
        {
            return SyncAction.Resync;
        }

        return followerState == ReplicationState.Recovering ? SyncAction.Resync : SyncAction.Rollback;
    }

    /// <summary>
    /// Whether a recovering node became consistent. It did when its history contains
    /// <paramref name="minValid"/> itself (same index and term) and it applied at least that far;
    /// if its history has a different term at that index, the changes its data took from the
    /// source's later state belong to a history that no longer exists, so it must resync.
    /// </summary>
    /// <param name="minValid">The position recorded when the rollback or resync copied documents.</param>
    /// <param name="applied">The node's applied position.</param>
    /// <param name="termAtMinValidIndex">The term of the node's own entry at minValid's index, null when it has none.</param>
    /// <param name="sourceLast">
    /// The source's last position when known. A source whose newest entry is of a later term than
    /// minValid and has not reached minValid's index will never hold minValid (everything it writes
    /// from now on is of its newer term), so waiting is pointless: the node must resync.
    /// </param>
    public static RecoveryStatus CheckRecovery(OpPosition minValid, OpPosition applied, long? termAtMinValidIndex, OpPosition? sourceLast = null)
    {
        if (minValid.IsZero)
        {
            return RecoveryStatus.Consistent; // the source had no history: nothing to wait for
        }

        if (applied.Index < minValid.Index)
        {
            return sourceLast is { } last && last.Term > minValid.Term && last.Index < minValid.Index
                ? RecoveryStatus.MustResync
                : RecoveryStatus.StillRecovering;
        }

        return termAtMinValidIndex == minValid.Term ? RecoveryStatus.Consistent : RecoveryStatus.MustResync;
    }
}

/// <summary>Result of <see cref="SyncPlanner.CheckRecovery"/>.</summary>
public enum RecoveryStatus
{
    /// <summary>Not yet at minValid.</summary>
    StillRecovering,

    /// <summary>Reached minValid on the same history: the data is consistent again.</summary>
    Consistent,

    /// <summary>Passed minValid's index on another history: only a resync can make it consistent.</summary>
    MustResync,
}
