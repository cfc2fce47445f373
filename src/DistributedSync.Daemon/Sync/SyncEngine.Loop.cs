using DistributedSync.Replication.Cluster;

namespace DistributedSync.Daemon.Sync;

/// <summary>One step of the driver loop: decide an event, publish the view, execute the commands.</summary>
public sealed partial class SyncEngine
{
    private readonly Dictionary<int, ReplicationProgressed> _heldProgress = [];

    private void Step(ClusterEvent clusterEvent)
    {
        Decide(Clamp(clusterEvent));

        // Progress held back by the clamp is reported as soon as the master's durable end moved.
        if (_heldProgress.Count > 0 && _view.Phase is ServingPhase serving)
        {
            foreach (var held in _heldProgress.Values.ToList())
            {
                if (held.Term != serving.Term)
                {
                    _heldProgress.Remove(held.NodeId);
                }
                else if (serving.LastDurable > ReportedApplied(held.NodeId))
                {
                    Decide(Clamp(held));
                }
            }
        }
    }

    /// <summary>
    /// A slave can apply a group-commit batch before the master's BatchCompleted reaches the loop
    /// (the slave tails the master's oplog, which is written first). Reporting such a position would
    /// let the commit point pass writes the decider still holds as in flight, which then never get
    /// their majority acknowledgement. So progress beyond the master's durable end is reported as
    /// that end, and the full position is re-reported once the master's batch is in.
    /// </summary>
    private ClusterEvent Clamp(ClusterEvent clusterEvent)
    {
        if (clusterEvent is not ReplicationProgressed progress)
        {
            return clusterEvent;
        }

        if (_view.Phase is ServingPhase s && s.Term == progress.Term && progress.Applied > s.LastDurable)
        {
            _heldProgress[progress.NodeId] = progress;
            return progress with { Applied = s.LastDurable };
        }

        _heldProgress.Remove(progress.NodeId);
        return progress;
    }

    private Replication.Oplog.OpPosition ReportedApplied(int nodeId)
        => _view.TryGetNode(nodeId, out var node) && node.Applied is { } applied ? applied : default;

    private void Decide(ClusterEvent clusterEvent)
    {
        var before = _view;
        var decision = _decider.Decide(before, clusterEvent);
        _view = decision.View;
        _status.Observe(decision.View);
        LogTransitions(before, decision.View);
        foreach (var command in decision.Commands)
        {
            Execute(command);
        }
    }
}
