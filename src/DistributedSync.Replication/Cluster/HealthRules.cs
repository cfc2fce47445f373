namespace DistributedSync.Replication.Cluster;

/// <summary>Heartbeats and the up/down hysteresis (see <see cref="ClusterDecider"/>).</summary>
internal static class HealthRules
{
    public static void OnHeartbeat(DecisionContext ctx, HeartbeatSucceeded e)
    {
        if (!ctx.TryNode(e.NodeId, out var node) || e.Sequence <= node.LastSequenceSeen)
        {
            return; // unknown node, or a stale answer overtaken by a newer one
        }

        var streak = e.Sequence == node.LastSequenceSeen + 1 ? node.GoodStreak + 1 : 1;
        var health = node.Health switch
        {
            NodeHealth.Unknown => NodeHealth.Up,
            NodeHealth.Down => streak >= ctx.Options.RecoveryHeartbeats ? NodeHealth.Up : NodeHealth.Down,
            _ => NodeHealth.Up,
        };
        ctx.View = ctx.View.WithNode(node with
        {
            Health = health,
            GoodStreak = streak,
            LastSequenceSeen = e.Sequence,
            LastReplyAt = ctx.Now,
            Status = e.Status,
        });
        ctx.ObserveTerm(e.Status.Term);
    }

    public static void OnHeartbeatFailed(DecisionContext ctx, HeartbeatFailed e)
    {
        if (!ctx.TryNode(e.NodeId, out var node) || e.Sequence <= node.LastSequenceSeen)
        {
            return;
        }

        ctx.View = ctx.View.WithNode(node with { GoodStreak = 0, LastSequenceSeen = e.Sequence });
        if (e.Refused && node.Health != NodeHealth.Down)
        {
            // A refused connection is a definite "not running": no need to wait out FailureTimeout.
            ctx.View = ctx.View.WithNode(ctx.Node(node.Id) with { Health = NodeHealth.Down });
            ctx.StopTask(node.Id);
        }
    }

    public static void OnHigherTerm(DecisionContext ctx, HigherTermObserved e)
    {
        ctx.ObserveTerm(e.Term);
        if (ctx.TryNode(e.NodeId, out var node) && node.Status is { } status && status.Term < e.Term)
        {
            ctx.View = ctx.View.WithNode(node with { Status = status with { Term = e.Term } });
        }
    }

    /// <summary>Sends due heartbeats and marks silent nodes down.</summary>
    public static void Reconcile(DecisionContext ctx)
    {
        foreach (var node in ctx.View.Nodes)
        {
            var current = node;
            if (current.Health != NodeHealth.Down && ctx.Now - current.LastReplyAt >= ctx.Options.FailureTimeout)
            {
                current = current with { Health = NodeHealth.Down, GoodStreak = 0 };
                ctx.View = ctx.View.WithNode(current);
                ctx.StopTask(current.Id);
                current = ctx.Node(current.Id);
            }

            if (ctx.Now - current.LastHeartbeatSentAt >= ctx.Options.HeartbeatInterval)
            {
                var sequence = current.HeartbeatsSent + 1;
                ctx.Emit(new SendHeartbeat(current.Id, sequence));
                ctx.View = ctx.View.WithNode(current with { LastHeartbeatSentAt = ctx.Now, HeartbeatsSent = sequence });
            }
        }
    }
}
