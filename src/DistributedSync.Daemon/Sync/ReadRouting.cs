using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// Chooses the node that serves a read: <c>primary</c> → the master; <c>secondary</c> → a live
/// slave no staler than maxStaleness (the least lagging one); <c>secondaryPreferred</c> → such a
/// slave, else the master; <c>primaryPreferred</c> → the master, else a slave; <c>nearest</c> →
/// any eligible node, least lagging first (the master counts as lag 0).
/// <para>
/// A slave serves reads only while its data is a consistent replay of the master's history: a node
/// being resynced (its collections are half copied) or rolled back, or one still recovering to
/// minValid after such a repair, is never chosen; a read it would have served falls to another
/// node per the preference, or fails with <see cref="SyncErrorKind.NoEligibleNode"/>.
/// </para>
/// </summary>
internal static class ReadRouting
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public static int Choose(ClusterView view, EngineStatusTracker status, ReadPreferenceMode mode, TimeSpan? maxStaleness)
    {
        var master = view.MasterId;
        var slaves = view.Nodes
            .Where(n => n.IsUp && n.Id != master && ServesReads(n) && (maxStaleness is not { } max || status.Staleness(view, n) <= max))
            .OrderBy(n => EngineStatusTracker.Lag(view, n))
            .ThenByDescending(n => n.Id)
            .Select(n => n.Id)
            .ToList();
        switch (mode)
        {
            case ReadPreferenceMode.Primary:
                return master ?? throw new SyncEngineException(SyncErrorKind.NoMaster, "No master is elected for a primary read.", RetryAfter);
            case ReadPreferenceMode.PrimaryPreferred:
                return master ?? FirstOrThrow(slaves);
            case ReadPreferenceMode.Secondary:
                return FirstOrThrow(slaves);
            case ReadPreferenceMode.SecondaryPreferred:
                return slaves.Count > 0 ? slaves[0] : master ?? FirstOrThrow(slaves);
            default:
                return master ?? FirstOrThrow(slaves);
        }
    }

    /// <summary>False while the node is being repaired or is not consistent yet.</summary>
    public static bool ServesReads(NodeView node)
        => node.Task.Kind is not (SyncTaskKind.Resyncing or SyncTaskKind.RollingBack)
           && node.Status is { State: ReplicationState.Consistent };

    private static int FirstOrThrow(List<int> candidates)
        => candidates.Count > 0
            ? candidates[0]
            : throw new SyncEngineException(SyncErrorKind.NoEligibleNode, "No live node matches the read preference and staleness bound.", RetryAfter);
}
