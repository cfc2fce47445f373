using System.Collections.Immutable;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// The daemon's whole in-memory state, as an immutable snapshot. Nothing in it is needed for
/// safety after a crash: a restarted daemon starts from <see cref="ClusterDecider.CreateInitialView"/>
/// and learns everything again from what the nodes store.
/// </summary>
public sealed record ClusterView
{
    /// <summary>One entry per configured node, in ascending Id order.</summary>
    public required ImmutableArray<NodeView> Nodes { get; init; }

    /// <summary>The highest term seen on any node or tried by this daemon; a new election uses this + 1.</summary>
    public long HighestTerm { get; init; }

    /// <summary>The master life-cycle phase.</summary>
    public RolePhase Phase { get; init; } = NoMasterPhase.Instance;

    /// <summary>
    /// The majority commit point: the highest position of the current master's term that a
    /// majority (master included) has applied. Entries up to it in the master's oplog are never
    /// lost. It never moves back.
    /// </summary>
    public OpPosition CommitPoint { get; init; }

    /// <summary>Unanswered write requests in arrival order.</summary>
    public ImmutableList<PendingWrite> Writes { get; init; } = [];

    /// <summary>The id of the next group-commit batch.</summary>
    public long NextBatchId { get; init; } = 1;

    /// <summary>When this daemon incarnation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>No takeover starts before this time (back-off after an abandoned one).</summary>
    public DateTimeOffset TakeoverNotBefore { get; init; } = DateTimeOffset.MinValue;

    /// <summary>The master, when one is serving.</summary>
    public int? MasterId => Phase is ServingPhase s ? s.MasterId : null;

    /// <summary>The serving master's term.</summary>
    public long? MasterTerm => Phase is ServingPhase s ? s.Term : null;

    /// <summary>True when writes are being sent to a master (no takeover pause).</summary>
    public bool AcceptsWrites => Phase is ServingPhase { Handover: null };

    /// <summary>How many nodes are up.</summary>
    public int UpCount => Nodes.Count(n => n.IsUp);

    /// <summary>The node with <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such node.</exception>
    public NodeView Node(int id) => TryGetNode(id, out var node) ? node : throw new KeyNotFoundException($"No node has Id {id}.");

    /// <summary>Looks a node up.</summary>
    public bool TryGetNode(int id, out NodeView node)
    {
        foreach (var n in Nodes)
        {
            if (n.Id == id)
            {
                node = n;
                return true;
            }
        }

        node = null!;
        return false;
    }

    /// <summary>The same view with one node replaced.</summary>
    public ClusterView WithNode(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        for (var i = 0; i < Nodes.Length; i++)
        {
            if (Nodes[i].Id == node.Id)
            {
                return this with { Nodes = Nodes.SetItem(i, node) };
            }
        }

        throw new KeyNotFoundException($"No node has Id {node.Id}.");
    }
}
