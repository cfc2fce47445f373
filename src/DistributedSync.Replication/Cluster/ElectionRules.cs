using System.Collections.Immutable;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// The term-aware Bully election. With a majority of nodes up:
/// <list type="bullet">
/// <item>maxTerm = highest stored term among up nodes; best = most recent last oplog position among
/// them (a node in the middle of a resync reports the position it held before its oplog was cleared,
/// see <see cref="ReplicationRecord.HeldUpTo"/>, so clearing a node never withdraws its vote).</item>
/// <item>A node is eligible when it is up, consistent, stores maxTerm and its last position is best.</item>
/// <item>Target = the highest-Id up node (skipping nodes whose catch-up recently failed). When it is
/// eligible it is the candidate. Otherwise it first catches up from the highest-Id consistent node at
/// best (or, when it is itself at best, only has its term raised); after CatchUpTimeout the next Id is
/// tried. When no consistent node holds the best history, nobody is elected (a recovering node's data
/// cannot be copied and may not be served). A catch-up only appends: when the target's history
/// diverges from the source's it is abandoned (only an elected master's history may make a node
/// roll back or resync), so a catch-up planned from a stale view can never remove an entry.</item>
/// <item>The candidate's new term is the highest term seen (including this daemon's own attempts) + 1.
/// It is compare-and-set on every node; it wins when a majority, the candidate included, stores
/// (term, candidate), the candidate acknowledged as consistent, and no acknowledging node reported a
/// more recent log than the candidate's (the positions come with the acknowledgements, read after the
/// term is stored, when no older writer can extend those logs any more).
/// Then the host promotes it (recovery + a noop entry of the term) and only then are writes sent.</item>
/// </list>
/// Without a majority nothing starts: no master, writes refused, reads still served by the host.
/// Right after the daemon starts, the first election waits until every node answered or one
/// heartbeat interval passed, so that a slow first answer does not cost a takeover later.
/// </summary>
internal static class ElectionRules
{
    public static void TryStart(DecisionContext ctx)
    {
        var up = ctx.UpNodes.ToList();
        if (up.Count < ctx.Majority)
        {
            return;
        }

        if (ctx.Now < ctx.View.StartedAt + ctx.Options.HeartbeatInterval && ctx.View.Nodes.Any(n => n.Health == NodeHealth.Unknown))
        {
            return; // just started: give every node one heartbeat interval to answer, so Bully picks among all
        }

        var maxTerm = up.Max(n => n.Status!.Term);
        var best = up.Max(n => n.Status!.LastPosition);
        var sources = up.Where(n => n.Status!.LastPosition == best && n.Status.State == ReplicationState.Consistent).ToList();
        foreach (var target in up.OrderByDescending(n => n.Id))
        {
            if (IsEligible(target, maxTerm, best))
            {
                StartElection(ctx, target.Id, takeover: false);
                return;
            }

            if (target.CatchUpBlockedUntil > ctx.Now)
            {
                continue; // its last catch-up failed recently: let a lower node have its chance
            }

            var source = sources.Where(n => n.Id != target.Id).MaxBy(n => n.Id) ?? sources.FirstOrDefault(n => n.Id == target.Id);
            if (source is null || (source.Id == target.Id && target.Status!.Term == maxTerm))
            {
                continue; // no consistent node holds the best history for it to copy from
            }

            var termMaster = up.Where(n => n.Status!.Term == maxTerm).Select(n => n.Status!.MasterId).FirstOrDefault(m => m is not null) ?? source.Id;
            ctx.StopTask(target.Id);
            ctx.View = ctx.View with { Phase = new CatchingUpPhase(target.Id, source.Id, maxTerm, termMaster, best, ctx.Now + ctx.Options.CatchUpTimeout) };
            IssueCatchUp(ctx, (CatchingUpPhase)ctx.View.Phase);
            return;
        }
    }

    public static bool IsEligible(NodeView node, long maxTerm, OpPosition best)
        => node.IsUp && node.Status!.State == ReplicationState.Consistent && node.Status.Term == maxTerm && node.Status.LastPosition == best;

    public static void AdvanceCatchUp(DecisionContext ctx, CatchingUpPhase c)
    {
        var target = ctx.Node(c.TargetId);
        if (!target.IsUp || !ctx.Node(c.SourceId).IsUp || ctx.Now >= c.Deadline)
        {
            AbandonCatchUp(ctx, c);
            return;
        }

        if (target.Task.Kind == SyncTaskKind.None)
        {
            IssueCatchUp(ctx, c); // a rollback or resync of the target ended, or the host gave up: go on
        }
    }

    /// <summary>The catch-up target diverged from its source: give up on it (a catch-up never rolls back or resyncs).</summary>
    public static void AbandonCatchUp(DecisionContext ctx, CatchingUpPhase c)
    {
        ctx.StopTask(c.TargetId);
        ctx.Update(c.TargetId, n => n with { CatchUpBlockedUntil = ctx.Now + ctx.Options.CatchUpTimeout });
        ctx.View = ctx.View with { Phase = NoMasterPhase.Instance };
    }

    /// <summary>Called when the catch-up target reported progress in the catch-up's term.</summary>
    public static void OnCatchUpProgress(DecisionContext ctx, CatchingUpPhase c, ReplicationProgressed e)
    {
        if (e.Applied >= c.Goal && e.Consistent)
        {
            ctx.StopTask(c.TargetId);
            ctx.View = ctx.View with { Phase = NoMasterPhase.Instance };
        }
    }

    public static void StartElection(DecisionContext ctx, int candidateId, bool takeover)
    {
        var term = ctx.View.HighestTerm + 1;
        ctx.View = ctx.View with
        {
            HighestTerm = term,
            Phase = new ElectingPhase(candidateId, term, ImmutableDictionary<int, OpPosition>.Empty, ctx.Now + ctx.Options.ElectionTimeout, takeover),
        };
        foreach (var id in ctx.Options.NodeIds)
        {
            ctx.Emit(new WriteTerm(id, term, candidateId));
        }
    }

    public static void OnTermWritten(DecisionContext ctx, TermWriteCompleted e)
    {
        if (e.StoredTerm is { } stored)
        {
            ctx.ObserveTerm(stored);
        }

        if (!ctx.TryNode(e.NodeId, out var node))
        {
            return;
        }

        if (e.Succeeded && node.Status is { } status)
        {
            ctx.View = ctx.View.WithNode(node with
            {
                Status = status with
                {
                    Term = Math.Max(status.Term, e.Term),
                    MasterId = e.MasterId,
                    LastPosition = e.LastPosition ?? status.LastPosition,
                    State = e.State ?? status.State,
                },
            });
        }

        if (!e.Succeeded || ctx.View.Phase is not ElectingPhase el || el.Term != e.Term || el.CandidateId != e.MasterId)
        {
            return;
        }

        if (e.NodeId == el.CandidateId && e.State is not (null or ReplicationState.Consistent))
        {
            ctx.View = ctx.View with { Phase = NoMasterPhase.Instance }; // the candidate cannot serve
            return;
        }

        ctx.View = ctx.View with { Phase = el with { Acks = el.Acks.SetItem(e.NodeId, e.LastPosition ?? OpPosition.Zero) } };
    }

    public static void AdvanceElection(DecisionContext ctx, ElectingPhase el)
    {
        if (el.Acks.TryGetValue(el.CandidateId, out var candidateLast) && el.Acks.Values.Any(p => p > candidateLast))
        {
            ctx.View = ctx.View with { Phase = NoMasterPhase.Instance }; // a voter has a more recent log: catch up first
            return;
        }

        if (el.Acks.Count >= ctx.Majority && el.Acks.ContainsKey(el.CandidateId))
        {
            ctx.View = ctx.View with { Phase = new PromotingPhase(el.CandidateId, el.Term, ctx.Now, ctx.Now + ctx.Options.ElectionTimeout) };
            return;
        }

        if (ctx.View.HighestTerm > el.Term || !ctx.Node(el.CandidateId).IsUp || ctx.Now >= el.Deadline)
        {
            ctx.View = ctx.View with { Phase = NoMasterPhase.Instance };
        }
    }

    private static void IssueCatchUp(DecisionContext ctx, CatchingUpPhase c)
    {
        ctx.Emit(new CatchUpNode(c.TargetId, c.SourceId, c.Term, c.TermMasterId, c.Goal));
        ctx.SetTask(c.TargetId, new SyncTask(SyncTaskKind.CatchingUp, c.SourceId, c.Term));
    }
}
