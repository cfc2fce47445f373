using System.Collections.Immutable;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// The election and replication decisions as one pure function:
/// <c>(ClusterView, ClusterEvent) → (ClusterView', commands)</c>. The only outside input is the
/// current time, read once per call from the injected <see cref="TimeProvider"/>. The host feeds
/// every observation in as an event, executes the returned commands, and reports their outcome
/// as further events; it keeps nothing else that matters for safety.
/// <para>Decisions, in the order they are applied after every event:</para>
/// <list type="number">
/// <item><b>Health.</b> Every node is pinged each HeartbeatInterval with a growing sequence number;
/// stale answers (older sequence) are ignored. A node is up at its first answer after the daemon
/// starts; it is down once FailureTimeout passes without an answer; a down node is up again only
/// after K = RecoveryHeartbeats answers with consecutive sequence numbers (a failure or a gap
/// restarts the count), so a flapping node does not trigger elections.</item>
/// <item><b>Election</b>, only with a majority of nodes up (term-aware Bully with catch-up).</item>
/// <item><b>Master duties</b>: step down at once on a higher term, an unreachable master or a lost
/// majority; keep every other up node tailing; group commit; takeover.</item>
/// <item><b>Writes</b>: acknowledgement, majority commit point, wtimeout.</item>
/// </list>
/// Every rule is described in this project's README.md and next to its code.
/// </summary>
public sealed class ClusterDecider
{
    private readonly TimeProvider _time;

    /// <summary>Creates a decider; <paramref name="options"/> are validated.</summary>
    public ClusterDecider(ClusterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        Options = options;
        _time = timeProvider;
    }

    /// <summary>The settings.</summary>
    public ClusterOptions Options { get; }

    /// <summary>The state of a freshly started daemon: every node unknown, no master, no term known.</summary>
    public ClusterView CreateInitialView()
    {
        var now = _time.GetUtcNow();
        var nodes = Options.NodeIds.Order().Select(id => new NodeView(id) { LastReplyAt = now }).ToImmutableArray();
        return new ClusterView { Nodes = nodes, StartedAt = now };
    }

    /// <summary>Decides one event.</summary>
    public Decision Decide(ClusterView view, ClusterEvent clusterEvent)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(clusterEvent);
        var ctx = new DecisionContext(Options, view, _time.GetUtcNow());
        switch (clusterEvent)
        {
            case Tick:
                break;
            case HeartbeatSucceeded e:
                HealthRules.OnHeartbeat(ctx, e);
                break;
            case HeartbeatFailed e:
                HealthRules.OnHeartbeatFailed(ctx, e);
                break;
            case TermWriteCompleted e:
                ElectionRules.OnTermWritten(ctx, e);
                break;
            case PromotionCompleted e:
                PromotionRules.OnPromoted(ctx, e);
                break;
            case PromotionFailed e:
                PromotionRules.OnPromotionFailed(ctx, e);
                break;
            case WriteRequested e:
                WriteRules.OnRequested(ctx, e);
                break;
            case BatchCompleted e:
                WriteRules.OnBatchCompleted(ctx, e);
                break;
            case BatchFailed e:
                WriteRules.OnBatchFailed(ctx, e);
                break;
            case ReplicationProgressed e:
                ReplicationRules.OnProgress(ctx, e);
                break;
            case ReplicationDiverged e:
                ReplicationRules.OnDiverged(ctx, e);
                break;
            case SyncTaskEnded e:
                ReplicationRules.OnTaskEnded(ctx, e);
                break;
            case HigherTermObserved e:
                HealthRules.OnHigherTerm(ctx, e);
                break;
            default:
                throw new ArgumentException($"Unknown event {clusterEvent.GetType().Name}.", nameof(clusterEvent));
        }

        Reconcile(ctx);
        return new Decision(ctx.View, ctx.Commands);
    }

    private static void Reconcile(DecisionContext ctx)
    {
        HealthRules.Reconcile(ctx);

        // A transition can enable the next one in the same instant (step down → elect); a few
        // rounds reach the fixed point, each round being idempotent once nothing changes.
        for (var round = 0; round < 6; round++)
        {
            var before = ctx.View.Phase;
            ReconcilePhase(ctx);
            if (ReferenceEquals(before, ctx.View.Phase))
            {
                break;
            }
        }

        WriteRules.Reconcile(ctx);
    }

    private static void ReconcilePhase(DecisionContext ctx)
    {
        switch (ctx.View.Phase)
        {
            case NoMasterPhase:
                ElectionRules.TryStart(ctx);
                break;
            case CatchingUpPhase c:
                ElectionRules.AdvanceCatchUp(ctx, c);
                break;
            case ElectingPhase e:
                ElectionRules.AdvanceElection(ctx, e);
                break;
            case PromotingPhase p:
                PromotionRules.Advance(ctx, p);
                break;
            case ServingPhase s:
                MasterRules.Advance(ctx, s);
                break;
        }
    }
}
