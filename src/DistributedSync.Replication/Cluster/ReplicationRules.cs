using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// Replication tasks. Reports are accepted only from the task the decider runs for the node
/// (same term), so a late report from a replaced task changes nothing. Progress updates the node's
/// applied position (which drives the commit point and takeover) and ends a catch-up that reached
/// its goal. A divergence while tailing the master turns the task into a rollback or a resync from
/// the master in its term; a divergence while catching up abandons the catch-up. When any task
/// ends the next reconcile starts what the phase needs again.
/// </summary>
internal static class ReplicationRules
{
    public static void OnProgress(DecisionContext ctx, ReplicationProgressed e)
    {
        if (!ctx.TryNode(e.NodeId, out var node)
            || node.Task.Term != e.Term
            || node.Task.Kind is not (SyncTaskKind.Tailing or SyncTaskKind.CatchingUp))
        {
            return;
        }

        var status = node.Status ?? NodeStatus.Empty;
        ctx.View = ctx.View.WithNode(node with
        {
            Applied = e.Applied,
            AppliedTerm = e.Term,
            Status = status with
            {
                Term = Math.Max(status.Term, e.Term),
                LastPosition = e.Applied,
                Applied = e.Applied,
                State = e.Consistent ? ReplicationState.Consistent : ReplicationState.Recovering,
            },
        });

        if (ctx.View.Phase is CatchingUpPhase c && c.TargetId == e.NodeId && c.Term == e.Term)
        {
            ElectionRules.OnCatchUpProgress(ctx, c, e);
        }

        WriteRules.AdvanceCommit(ctx);
    }

    public static void OnDiverged(DecisionContext ctx, ReplicationDiverged e)
    {
        if (!ctx.TryNode(e.NodeId, out var node) || node.Task.Kind == SyncTaskKind.None || node.Task.Term != e.Term)
        {
            return;
        }

        if (node.Task.Kind == SyncTaskKind.CatchingUp)
        {
            if (ctx.View.Phase is CatchingUpPhase c && c.TargetId == e.NodeId)
            {
                ElectionRules.AbandonCatchUp(ctx, c);
            }
            else
            {
                ctx.StopTask(e.NodeId);
            }

            return;
        }

        var source = node.Task.SourceId;
        if (e.Action == SyncAction.Rollback && node.Task.Kind == SyncTaskKind.Tailing)
        {
            ctx.Emit(new StartRollback(e.NodeId, source, e.Term, e.FollowerLast));
            ctx.SetTask(e.NodeId, new SyncTask(SyncTaskKind.RollingBack, source, e.Term));
        }
        else if (e.Action == SyncAction.Resync && node.Task.Kind != SyncTaskKind.Resyncing)
        {
            ctx.Emit(new StartResync(e.NodeId, source, e.Term, e.FollowerLast));
            ctx.SetTask(e.NodeId, new SyncTask(SyncTaskKind.Resyncing, source, e.Term));
        }

        ctx.Update(e.NodeId, n => n with { Applied = null, AppliedTerm = 0 });
    }

    public static void OnTaskEnded(DecisionContext ctx, SyncTaskEnded e)
    {
        if (ctx.TryNode(e.NodeId, out var node) && node.Task.Kind == e.Kind && node.Task.Term == e.Term)
        {
            ctx.SetTask(e.NodeId, SyncTask.None);
        }
    }
}
