using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Support;

/// <summary>Drives a <see cref="ClusterDecider"/> by hand: feeds events, moves the fake clock, and answers heartbeats.</summary>
internal sealed class DeciderHarness
{
    private readonly Dictionary<int, NodeStatus> _status = [];

    public DeciderHarness(ClusterOptions options)
    {
        Clock = new FakeTimeProvider();
        Decider = new ClusterDecider(options, Clock);
        View = Decider.CreateInitialView();
        foreach (var id in options.NodeIds)
        {
            _status[id] = NodeStatus.Empty;
        }
    }

    public DeciderHarness(int nodes = 3, bool takeover = true)
        : this(Options(nodes, takeover))
    {
    }

    public FakeTimeProvider Clock { get; }

    public ClusterDecider Decider { get; }

    public ClusterView View { get; private set; }

    /// <summary>Every command emitted since the harness was created.</summary>
    public List<ClusterCommand> All { get; } = [];

    public static ClusterOptions Options(int nodes, bool takeover = true) => new()
    {
        NodeIds = [.. Enumerable.Range(1, nodes)],
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        FailureTimeout = TimeSpan.FromMilliseconds(500),
        RecoveryHeartbeats = 3,
        ElectionTimeout = TimeSpan.FromMilliseconds(400),
        CatchUpTimeout = TimeSpan.FromMilliseconds(1000),
        PromotionRetryInterval = TimeSpan.FromMilliseconds(100),
        TakeoverEnabled = takeover,
        TakeoverMaxLag = 5,
        TakeoverTimeout = TimeSpan.FromMilliseconds(800),
        TakeoverBackoff = TimeSpan.FromSeconds(5),
        MaxBatchSize = 3,
        AllowEvenNodeCount = nodes % 2 == 0,
    };

    public IReadOnlyList<ClusterCommand> Feed(ClusterEvent e)
    {
        var decision = Decider.Decide(View, e);
        View = decision.View;
        All.AddRange(decision.Commands);
        return decision.Commands;
    }

    public IReadOnlyList<ClusterCommand> Tick(long ms = 0)
    {
        Clock.AdvanceMs(ms);
        return Feed(DistributedSync.Replication.Cluster.Tick.Instance);
    }

    /// <summary>What the given node will answer to heartbeats from now on.</summary>
    public void SetStatus(int node, long term, OpPosition last, ReplicationState state = ReplicationState.Consistent, int? masterId = null)
        => _status[node] = new NodeStatus(term, masterId ?? (term == 0 ? null : node), last, last, state);

    public NodeStatus StatusOf(int node) => _status[node];

    /// <summary>Answers the next heartbeat of each listed node (the sequence after the last one seen).</summary>
    public IReadOnlyList<ClusterCommand> Answer(params int[] nodes)
    {
        var commands = new List<ClusterCommand>();
        foreach (var id in nodes)
        {
            var node = View.Node(id);
            commands.AddRange(Feed(new HeartbeatSucceeded(id, Math.Max(node.LastSequenceSeen + 1, 1), _status[id])));
        }

        return commands;
    }

    /// <summary>Fails the next heartbeat of a node.</summary>
    public IReadOnlyList<ClusterCommand> Fail(int node) => Feed(new HeartbeatFailed(node, View.Node(node).LastSequenceSeen + 1));

    /// <summary>Acknowledges the term write of the current election on the given nodes, with the nodes' statuses.</summary>
    public IReadOnlyList<ClusterCommand> AckTerm(params int[] nodes)
    {
        var el = Assert.IsType<ElectingPhase>(View.Phase);
        var commands = new List<ClusterCommand>();
        foreach (var id in nodes)
        {
            var s = _status[id];
            _status[id] = s with { Term = el.Term, MasterId = el.CandidateId };
            commands.AddRange(Feed(new TermWriteCompleted(id, el.Term, el.CandidateId, true, el.Term, s.LastPosition, s.State)));
        }

        return commands;
    }

    /// <summary>Completes the pending promotion (recovered = the node's last position, noop right after it).</summary>
    public IReadOnlyList<ClusterCommand> CompletePromotion()
    {
        var p = Assert.IsType<PromotingPhase>(View.Phase);
        var recovered = _status[p.NodeId].LastPosition;
        var noop = new OpPosition(p.Term, recovered.Index + 1);
        _status[p.NodeId] = _status[p.NodeId] with { LastPosition = noop, Applied = noop, Term = p.Term, MasterId = p.NodeId };
        return Feed(new PromotionCompleted(p.NodeId, p.Term, recovered, noop));
    }

    /// <summary>Brings all nodes up, elects the highest one and promotes it; returns its term.</summary>
    public long ElectHighest()
    {
        Tick();
        Answer([.. View.Nodes.Select(n => n.Id).OrderDescending()]);
        var el = Assert.IsType<ElectingPhase>(View.Phase);
        AckTerm([.. View.Nodes.Select(n => n.Id)]);
        CompletePromotion();
        Assert.IsType<ServingPhase>(View.Phase);
        return el.Term;
    }

    /// <summary>A slave reports progress in the master's term.</summary>
    public IReadOnlyList<ClusterCommand> Progress(int node, OpPosition applied, bool consistent = true)
    {
        var term = View.Node(node).Task.Term;
        _status[node] = _status[node] with { LastPosition = applied, Applied = applied, Term = Math.Max(_status[node].Term, term), State = consistent ? ReplicationState.Consistent : ReplicationState.Recovering };
        return Feed(new ReplicationProgressed(node, term, applied, consistent));
    }

    public static IEnumerable<T> OfType<T>(IEnumerable<ClusterCommand> commands) => commands.OfType<T>();
}
