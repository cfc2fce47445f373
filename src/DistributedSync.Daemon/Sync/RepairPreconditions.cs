using DistributedSync.Daemon.Logging;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Sync;

/// <summary>What a rollback or a resync checks on the node before it changes anything.</summary>
internal static class RepairPreconditions
{
    /// <summary>
    /// The node's last oplog position when the repair may go ahead; null when it must not, after
    /// posting why: the node stores a newer term than the repair's (HigherTermObserved), or its
    /// oplog no longer ends where it did when the repair was decided (a request that waited on the
    /// wire; acting on a stale plan could wipe good data: RepairSkipped, SyncTaskEnded(false)).
    /// </summary>
    public static async Task<OpPosition?> CheckAsync(
        NodeStore target, long term, OpPosition expectedLast, SyncTaskKind kind, Action<ClusterEvent> post, ILogger logger, CancellationToken ct)
    {
        var stored = await target.ReadTermAsync(ct).ConfigureAwait(false);
        if (!TermRules.MayAccept(stored.Term, term))
        {
            post(new HigherTermObserved(target.Id, stored.Term));
            return null;
        }

        var actualLast = await target.ReadLastPositionAsync(ct).ConfigureAwait(false);
        if (actualLast != expectedLast)
        {
            logger.RepairSkipped(kind == SyncTaskKind.Resyncing ? "Resync" : "Rollback", target.Id, actualLast.ToString(), expectedLast.ToString());
            post(new SyncTaskEnded(target.Id, term, kind, Succeeded: false));
            return null;
        }

        return actualLast;
    }
}
