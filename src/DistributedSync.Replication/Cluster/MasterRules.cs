namespace DistributedSync.Replication.Cluster;

/// <summary>
/// A serving master's duties. It stops writing at once (the host gets <see cref="DemoteNode"/>)
/// when any node stores a higher term, when the master itself is down, or when fewer than a
/// majority of nodes are up; writes it had been sent fail as "may still be applied". Otherwise
/// every other up node tails it in its term (a task started for another source or term is
/// replaced, and so is a tail whose node reports an unfinished rollback or resync), a takeover is
/// considered, and queued writes go out as one batch at a time.
/// </summary>
internal static class MasterRules
{
    public static void Advance(DecisionContext ctx, ServingPhase s)
    {
        if (ctx.View.HighestTerm > s.Term)
        {
            StepDown(ctx, s, DemotionReason.HigherTerm);
            return;
        }

        if (!ctx.Node(s.MasterId).IsUp)
        {
            StepDown(ctx, s, DemotionReason.MasterUnreachable);
            return;
        }

        if (ctx.View.UpCount < ctx.Majority)
        {
            StepDown(ctx, s, DemotionReason.NoMajority);
            return;
        }

        EnsureFollowers(ctx, s);
        TakeoverRules.Advance(ctx, s);
        if (ctx.View.Phase is ServingPhase now)
        {
            WriteRules.Flush(ctx, now);
        }
    }

    public static void StepDown(DecisionContext ctx, ServingPhase s, DemotionReason reason)
    {
        ctx.Emit(new DemoteNode(s.MasterId, s.Term, reason));
        ctx.StopAllTasks();
        var sent = ctx.View.Writes.Where(w => w.Stage == WriteStage.InBatch).Select(w => w.RequestId).ToList();
        var failure = reason == DemotionReason.HigherTerm ? WriteFailureReason.Deposed : WriteFailureReason.Interrupted;
        WriteRules.Fail(ctx, sent, failure, mayHaveBeenApplied: true);
        ctx.View = ctx.View with { Phase = NoMasterPhase.Instance };
    }

    /// <summary>
    /// A heartbeat received well after the tail started says the node is in the middle of a
    /// rollback or resync (a late step of an abandoned attempt reached it): the tail, which only
    /// reads the node's state when it starts, may not notice while nothing is written.
    /// </summary>
    private static bool IsTailingAnInterruptedNode(DecisionContext ctx, NodeView node)
        => node.Task.Kind == SyncTaskKind.Tailing
           && node.Status is { State: Metadata.ReplicationState.Resyncing or Metadata.ReplicationState.RollingBack }
           && node.LastReplyAt - node.TaskStartedAt > ctx.Options.HeartbeatInterval;

    private static void EnsureFollowers(DecisionContext ctx, ServingPhase s)
    {
        foreach (var node in ctx.View.Nodes)
        {
            if (node.Id == s.MasterId)
            {
                ctx.StopTask(node.Id);
                continue;
            }

            if (!node.IsUp)
            {
                continue;
            }

            if (node.Task.Kind != SyncTaskKind.None && (node.Task.SourceId != s.MasterId || node.Task.Term != s.Term))
            {
                ctx.StopTask(node.Id);
            }
            else if (IsTailingAnInterruptedNode(ctx, node))
            {
                ctx.StopTask(node.Id); // the tail is restarted below and finds the unfinished rollback or resync
            }

            if (ctx.Node(node.Id).Task.Kind == SyncTaskKind.None)
            {
                ctx.Emit(new StartTailing(node.Id, s.MasterId, s.Term));
                ctx.SetTask(node.Id, new SyncTask(SyncTaskKind.Tailing, s.MasterId, s.Term));
            }
        }
    }
}
