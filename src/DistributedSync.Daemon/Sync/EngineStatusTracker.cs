using System.Collections.Concurrent;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// Turns a <see cref="ClusterView"/> into <see cref="ClusterStatus"/> and tracks, per node, when it
/// was last caught up with the master (its staleness for reads with maxStalenessMs).
/// </summary>
internal sealed class EngineStatusTracker
{
    private readonly List<(int Id, string Name, MongoConnectionString Uri)> _nodes;
    private readonly ConcurrentDictionary<int, DateTimeOffset> _caughtUpAt = new();
    private readonly TimeProvider _time;
    private readonly ResyncProgressBoard? _resync;

    public EngineStatusTracker(IEnumerable<NodeOptions> nodes, TimeProvider time, ResyncProgressBoard? resync = null)
    {
        _nodes = nodes.Select(n => (n.Id, n.Name, MongoConnectionString.Parse(n.Uri))).ToList();
        _time = time;
        _resync = resync;
    }

    public bool TryGetNode(int id, out (int Id, string Name, MongoConnectionString Uri) node)
    {
        foreach (var n in _nodes)
        {
            if (n.Id == id)
            {
                node = n;
                return true;
            }
        }

        node = default;
        return false;
    }

    /// <summary>The master's last position in the view, or null without a master.</summary>
    public static OpPosition? MasterLast(ClusterView view) => view.Phase is ServingPhase s ? s.LastDurable : null;

    /// <summary>The node's applied position as best known (replication task, else heartbeat).</summary>
    public static OpPosition Applied(NodeView node) => node.Applied is { } a && (node.Status is null || a >= node.Status.Applied) ? a : node.Status?.Applied ?? OpPosition.Zero;

    /// <summary>Entries the node is behind the master (0 without a master or for the master).</summary>
    public static long Lag(ClusterView view, NodeView node)
        => MasterLast(view) is { } last && view.MasterId != node.Id ? Math.Max(0, last.Index - Applied(node).Index) : 0;

    /// <summary>Called by the driver loop after every decision.</summary>
    public void Observe(ClusterView view)
    {
        var now = _time.GetUtcNow();
        foreach (var node in view.Nodes)
        {
            if (view.MasterId is not null && node.IsUp && Lag(view, node) == 0)
            {
                _caughtUpAt[node.Id] = now;
            }
        }
    }

    /// <summary>How long ago the node was last caught up with the master (zero while it is).</summary>
    public TimeSpan Staleness(ClusterView view, NodeView node)
    {
        if (Lag(view, node) == 0)
        {
            return TimeSpan.Zero;
        }

        return _caughtUpAt.TryGetValue(node.Id, out var at) ? _time.GetUtcNow() - at : TimeSpan.MaxValue;
    }

    public ClusterStatus Build(ClusterView view)
    {
        var nodes = new List<ClusterNodeStatus>(_nodes.Count);
        foreach (var (id, name, uri) in _nodes)
        {
            if (!view.TryGetNode(id, out var node))
            {
                continue;
            }

            var role = !node.IsUp ? NodeRole.Down
                : view.MasterId == id ? NodeRole.Master
                : node.Task.Kind switch
                {
                    SyncTaskKind.Resyncing => NodeRole.Resyncing,
                    SyncTaskKind.RollingBack => NodeRole.RollingBack,
                    _ => NodeRole.Slave,
                };
            var applied = view.MasterId == id && MasterLast(view) is { } last ? last : Applied(node);
            var state = node.Task.Kind != SyncTaskKind.None ? node.Task.Kind.ToString() : node.Health.ToString();
            var resync = role == NodeRole.Resyncing ? _resync?.Get(id) : null;
            nodes.Add(new ClusterNodeStatus(id, name, uri, node.IsUp, role, node.Status?.Term ?? 0, new OplogPosition(applied.Term, applied.Index), Lag(view, node), state, resync));
        }

        return new ClusterStatus(view.MasterTerm ?? view.HighestTerm, view.MasterId, nodes);
    }
}
