using DistributedSync.Replication.Cluster;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// One step of the driver loop: decide an event, publish the view, execute the commands. Events
/// are decided as they arrive; in particular a slave's progress may be reported before the
/// master's BatchCompleted for the same entries (the slave tails the master's oplog, which is
/// written first), and the decider acknowledges such writes when their batch completes.
/// </summary>
public sealed partial class SyncEngine
{
    private void Step(ClusterEvent clusterEvent) => Decide(clusterEvent);

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
