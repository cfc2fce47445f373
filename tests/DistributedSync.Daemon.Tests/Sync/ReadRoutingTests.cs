using System.Collections.Immutable;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Sync;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>Read routing and /status built from a cluster view (no nodes needed).</summary>
public sealed class ReadRoutingTests
{
    private static readonly NodeOptions[] Nodes =
    [
        new() { Id = 1, Name = "a", Uri = "mongodb://127.0.0.1:1/" },
        new() { Id = 2, Name = "b", Uri = "mongodb://127.0.0.1:2/" },
        new() { Id = 3, Name = "c", Uri = "mongodb://127.0.0.1:3/" },
    ];

    private static NodeView Up(int id, OpPosition applied) => new(id)
    {
        Health = NodeHealth.Up,
        Status = new NodeStatus(2, 3, applied, applied, Replication.Metadata.ReplicationState.Consistent),
        Applied = applied,
        AppliedTerm = 2,
        Task = id == 3 ? SyncTask.None : new SyncTask(SyncTaskKind.Tailing, 3, 2),
    };

    private static ClusterView Serving() => new()
    {
        Nodes = ImmutableArray.Create(Up(1, new OpPosition(2, 10)), Up(2, new OpPosition(2, 4)), Up(3, new OpPosition(2, 10))),
        HighestTerm = 2,
        Phase = new ServingPhase(3, 2, new OpPosition(2, 10), null, null),
    };

    [Fact]
    public void Primary_goes_to_the_master_and_secondary_to_the_least_lagging_slave()
    {
        var view = Serving();
        var tracker = new EngineStatusTracker(Nodes, TimeProvider.System);
        tracker.Observe(view);

        Assert.Equal(3, ReadRouting.Choose(view, tracker, ReadPreferenceMode.Primary, null));
        Assert.Equal(1, ReadRouting.Choose(view, tracker, ReadPreferenceMode.Secondary, null));
        Assert.Equal(1, ReadRouting.Choose(view, tracker, ReadPreferenceMode.SecondaryPreferred, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_slave_that_never_caught_up_is_too_stale_and_without_a_master_primary_reads_fail()
    {
        var view = Serving();
        view = view.WithNode(view.Node(1) with { Health = NodeHealth.Down });
        var tracker = new EngineStatusTracker(Nodes, TimeProvider.System);
        tracker.Observe(view);

        Assert.Equal(2, ReadRouting.Choose(view, tracker, ReadPreferenceMode.Secondary, null));
        var stale = Assert.Throws<SyncEngineException>(() => ReadRouting.Choose(view, tracker, ReadPreferenceMode.Secondary, TimeSpan.FromSeconds(90)));
        Assert.Equal(SyncErrorKind.NoEligibleNode, stale.Kind);

        var leaderless = view with { Phase = NoMasterPhase.Instance };
        var noMaster = Assert.Throws<SyncEngineException>(() => ReadRouting.Choose(leaderless, tracker, ReadPreferenceMode.Primary, null));
        Assert.Equal(SyncErrorKind.NoMaster, noMaster.Kind);
    }

    [Fact]
    public void Status_shows_roles_terms_applied_positions_and_lag()
    {
        var view = Serving();
        view = view.WithNode(view.Node(1) with { Health = NodeHealth.Down });
        var status = new EngineStatusTracker(Nodes, TimeProvider.System).Build(view);

        Assert.Equal(2, status.Term);
        Assert.Equal(3, status.MasterId);
        Assert.Equal([NodeRole.Down, NodeRole.Slave, NodeRole.Master], status.Nodes.Select(n => n.Role));
        Assert.Equal([0L, 6L, 0L], status.Nodes.Select(n => n.LagOps));
        Assert.Equal(new OplogPosition(2, 4), status.Nodes[1].Applied);
        Assert.Equal(new OplogPosition(2, 10), status.Nodes[2].Applied);
    }
}
