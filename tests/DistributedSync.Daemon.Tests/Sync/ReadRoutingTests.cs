using System.Collections.Immutable;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Sync;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
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
        Status = new NodeStatus(2, 3, applied, applied, ReplicationState.Consistent),
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

    [Theory]
    [InlineData(SyncTaskKind.Resyncing, ReplicationState.Resyncing)]
    [InlineData(SyncTaskKind.RollingBack, ReplicationState.RollingBack)]
    [InlineData(SyncTaskKind.Tailing, ReplicationState.Recovering)]
    public void A_slave_being_repaired_or_recovering_serves_no_reads(SyncTaskKind task, ReplicationState state)
    {
        var view = Serving();
        view = view.WithNode(view.Node(2) with { Health = NodeHealth.Down });
        var repaired = view.Node(1);
        view = view.WithNode(repaired with { Task = new SyncTask(task, 3, 2), Status = repaired.Status! with { State = state } });
        var tracker = new EngineStatusTracker(Nodes, TimeProvider.System);
        tracker.Observe(view);

        var secondary = Assert.Throws<SyncEngineException>(() => ReadRouting.Choose(view, tracker, ReadPreferenceMode.Secondary, null));
        Assert.Equal(SyncErrorKind.NoEligibleNode, secondary.Kind);
        Assert.Equal(3, ReadRouting.Choose(view, tracker, ReadPreferenceMode.SecondaryPreferred, null));
        Assert.Equal(3, ReadRouting.Choose(view, tracker, ReadPreferenceMode.Nearest, null));
        var leaderless = view.WithNode(view.Node(3) with { Health = NodeHealth.Down }) with { Phase = NoMasterPhase.Instance };
        Assert.Throws<SyncEngineException>(() => ReadRouting.Choose(leaderless, tracker, ReadPreferenceMode.PrimaryPreferred, null));
    }

    [Fact]
    public void Status_shows_the_resync_progress_of_a_resyncing_node_only()
    {
        var view = Serving();
        view = view.WithNode(view.Node(1) with { Task = new SyncTask(SyncTaskKind.Resyncing, 3, 2) });
        var board = new ResyncProgressBoard();
        board.Report(1, new ResyncProgress(300, 1000, 150, 4.67));
        board.Report(2, new ResyncProgress(1, 2, 3, 4));

        var status = new EngineStatusTracker(Nodes, TimeProvider.System, board).Build(view);

        Assert.Equal(NodeRole.Resyncing, status.Nodes[0].Role);
        Assert.Equal(new ResyncProgress(300, 1000, 150, 4.67), status.Nodes[0].Resync);
        Assert.Null(status.Nodes[1].Resync);
        var json = DistributedSync.Daemon.Http.StatusEndpoint.ToDocument(status)["nodes"].AsArray;
        var resync = json[0].AsDocument["resync"].AsDocument;
        Assert.Equal(300, resync["copied"].ToInt64());
        Assert.Equal(1000, resync["total"].ToInt64());
        Assert.Equal(150, resync["rate"].AsDouble);
        Assert.Equal(4.7, resync["etaSeconds"].AsDouble);
        Assert.False(json[1].AsDocument.Contains("resync"));
    }

    [Fact]
    public void Resync_rate_and_eta_follow_from_copied_total_and_elapsed_time()
    {
        var p = ResyncProgressMeter.Compute(copied: 250, total: 1000, elapsed: TimeSpan.FromSeconds(5));
        Assert.Equal(50, p.Rate);
        Assert.Equal(15, p.EtaSeconds);
        Assert.Null(ResyncProgressMeter.Compute(0, 1000, TimeSpan.FromSeconds(1)).EtaSeconds);
        Assert.Equal(1200, ResyncProgressMeter.Compute(1200, 1000, TimeSpan.FromSeconds(1)).Total);
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
