using DistributedSync.Replication.Metadata;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// Bully takeover without losing an acknowledged write. When a node with a higher Id than the
/// master is up (so it passed the K-heartbeat hysteresis), consistent, tailing the master in its
/// term and at most TakeoverMaxLag entries behind:
/// <list type="number">
/// <item>the master stops taking new batches (writes queue; the batch in flight finishes);</item>
/// <item>the decider waits until the higher node has applied the master's last position;</item>
/// <item>the master is demoted and every tail stopped; a new term (highest + 1) is compare-and-set
/// for the higher node on a majority; it is promoted; the old master tails it.</item>
/// </list>
/// Because the new master holds every entry of the old one, writes waiting for the majority stay
/// pending and are acknowledged once the new term's commit point passes them. If the higher node
/// goes down or does not catch up within TakeoverTimeout the handover is abandoned, writes resume on
/// the old master and no takeover starts for TakeoverBackoff.
/// </summary>
internal static class TakeoverRules
{
    public static void Advance(DecisionContext ctx, ServingPhase s)
    {
        if (s.Handover is null)
        {
            MaybeStart(ctx, s);
        }
        else
        {
            Continue(ctx, s, s.Handover);
        }
    }

    private static void MaybeStart(DecisionContext ctx, ServingPhase s)
    {
        if (!ctx.Options.TakeoverEnabled || ctx.Now < ctx.View.TakeoverNotBefore)
        {
            return;
        }

        var target = ctx.View.Nodes
            .Where(n => n.Id > s.MasterId && IsFollowing(n, s) && n.Status!.State == ReplicationState.Consistent
                        && s.LastDurable.Index - n.AppliedIn(s.Term).Index <= ctx.Options.TakeoverMaxLag)
            .MaxBy(n => n.Id);
        if (target is not null)
        {
            ctx.View = ctx.View with { Phase = s with { Handover = new Handover(target.Id, ctx.Now + ctx.Options.TakeoverTimeout) } };
        }
    }

    private static void Continue(DecisionContext ctx, ServingPhase s, Handover handover)
    {
        var target = ctx.Node(handover.TargetId);
        if (!IsFollowing(target, s) || ctx.Now >= handover.Deadline)
        {
            ctx.View = ctx.View with
            {
                Phase = s with { Handover = null },
                TakeoverNotBefore = ctx.Now + ctx.Options.TakeoverBackoff,
            };
            return;
        }

        if (s.BatchInFlight is null && target.AppliedIn(s.Term) >= s.LastDurable)
        {
            ctx.Emit(new DemoteNode(s.MasterId, s.Term, DemotionReason.Takeover));
            ctx.StopAllTasks();
            ElectionRules.StartElection(ctx, target.Id, takeover: true);
        }
    }

    private static bool IsFollowing(NodeView node, ServingPhase s)
        => node.IsUp && node.Task.Kind == SyncTaskKind.Tailing && node.Task.SourceId == s.MasterId
           && node.Task.Term == s.Term && node.AppliedTerm == s.Term && node.Applied is not null;
}
