using DistributedSync.Replication.Metadata;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// From a won election to a serving master. The host recovers the node (re-applies its oplog after
/// its applied position, so a daemon crash between writing an entry and applying it loses nothing)
/// and writes the term's noop entry. Writes still waiting for the majority from a previous master
/// are kept only when the new master's recovered history provably contains them: its last position
/// before the noop is in the same term as the write and at least at the write's index (entries of
/// one term come from one master, in order). The others fail as "may still be applied".
/// </summary>
internal static class PromotionRules
{
    public static void Advance(DecisionContext ctx, PromotingPhase p)
    {
        if (ctx.View.HighestTerm > p.Term || !ctx.Node(p.NodeId).IsUp || ctx.Now >= p.Deadline)
        {
            ctx.Emit(new DemoteNode(p.NodeId, p.Term, ctx.View.HighestTerm > p.Term ? DemotionReason.HigherTerm : DemotionReason.MasterUnreachable));
            ctx.View = ctx.View with { Phase = NoMasterPhase.Instance };
            return;
        }

        if (ctx.Now >= p.SendAt)
        {
            ctx.StopTask(p.NodeId);
            ctx.Emit(new PromoteNode(p.NodeId, p.Term));
            ctx.View = ctx.View with { Phase = p with { SendAt = ctx.Now + ctx.Options.ElectionTimeout } };
        }
    }

    public static void OnPromoted(DecisionContext ctx, PromotionCompleted e)
    {
        switch (ctx.View.Phase)
        {
            case PromotingPhase p when p.NodeId == e.NodeId && p.Term == e.Term:
                break;
            case ServingPhase s when s.MasterId == e.NodeId && s.Term == e.Term:
                // A repeated promotion answered twice; its noop is part of the master's history.
                ctx.View = ctx.View with { Phase = s with { LastDurable = Oplog.OpPosition.Max(s.LastDurable, e.LastPosition) } };
                return;
            default:
                ctx.Emit(new DemoteNode(e.NodeId, e.Term, DemotionReason.Superseded));
                return;
        }

        ctx.View = ctx.View with { Phase = new ServingPhase(e.NodeId, e.Term, e.LastPosition, null, null) };
        ctx.Update(e.NodeId, n => n with
        {
            Status = (n.Status ?? NodeStatus.Empty) with
            {
                Term = Math.Max(n.Status?.Term ?? 0, e.Term),
                MasterId = e.NodeId,
                LastPosition = e.LastPosition,
                Applied = e.LastPosition,
                State = ReplicationState.Consistent,
            },
        });

        var lost = new List<long>();
        foreach (var w in ctx.View.Writes)
        {
            if (w.Stage == WriteStage.AwaitingMajority
                && !(e.RecoveredPosition.Term == w.Position.Term && e.RecoveredPosition.Index >= w.Position.Index))
            {
                lost.Add(w.RequestId);
            }
        }

        WriteRules.Fail(ctx, lost, WriteFailureReason.Interrupted, mayHaveBeenApplied: true);
    }

    public static void OnPromotionFailed(DecisionContext ctx, PromotionFailed e)
    {
        if (e.StoredTerm is { } stored)
        {
            ctx.ObserveTerm(stored);
        }

        if (ctx.View.Phase is PromotingPhase p && p.NodeId == e.NodeId && p.Term == e.Term)
        {
            ctx.View = ctx.View with { Phase = p with { SendAt = ctx.Now + ctx.Options.PromotionRetryInterval } };
        }
    }
}
