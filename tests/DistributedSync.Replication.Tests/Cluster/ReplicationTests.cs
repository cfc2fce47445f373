using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Cluster;

public sealed class ReplicationTests
{
    [Fact]
    public void A_diverged_slave_is_rolled_back_then_tails_again()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var rollback = Assert.Single(h.Feed(new ReplicationDiverged(1, term, SyncAction.Rollback, new(1, 5))).OfType<StartRollback>());
        Assert.Equal((1, 3, term, new OpPosition(1, 5)), (rollback.NodeId, rollback.SourceId, rollback.Term, rollback.ExpectedLast));
        Assert.Equal(SyncTaskKind.RollingBack, h.View.Node(1).Task.Kind);
        var resume = h.Feed(new SyncTaskEnded(1, term, SyncTaskKind.RollingBack, true));
        Assert.Contains(new StartTailing(1, 3, term), resume);
    }

    [Fact]
    public void A_slave_that_fell_off_the_oplog_or_has_no_common_point_is_resynced()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        Assert.Single(h.Feed(new ReplicationDiverged(2, term, SyncAction.Resync, new(1, 5))).OfType<StartResync>());
        h.Feed(new SyncTaskEnded(2, term, SyncTaskKind.Resyncing, true));
        h.Feed(new ReplicationDiverged(1, term, SyncAction.Rollback, new(1, 5)));
        var resync = Assert.Single(h.Feed(new ReplicationDiverged(1, term, SyncAction.Resync, new(1, 5))).OfType<StartResync>());
        Assert.Equal(1, resync.NodeId);
    }

    [Fact]
    public void Reports_from_a_replaced_task_or_an_older_term_are_ignored()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        h.Feed(new ReplicationProgressed(1, term - 1, new(term, 1), true));
        Assert.Null(h.View.Node(1).Applied);
        Assert.Empty(h.Feed(new ReplicationDiverged(1, term - 1, SyncAction.Rollback, new(1, 5))));
        h.Feed(new SyncTaskEnded(1, term, SyncTaskKind.RollingBack, true));
        Assert.Equal(SyncTaskKind.Tailing, h.View.Node(1).Task.Kind);
    }

    [Fact]
    public void A_slave_that_goes_down_stops_tailing_and_starts_again_when_it_is_back()
    {
        var h = new DeciderHarness(5);
        var term = h.ElectHighest();
        for (var i = 0; i < 6; i++)
        {
            h.Tick(100);
            h.Answer(5, 4, 3, 2);
        }

        Assert.Contains(new StopTailing(1), h.All);
        Assert.Equal(5, h.View.MasterId);
        h.All.Clear();
        for (var i = 0; i < 3; i++)
        {
            h.Answer(1);
        }

        Assert.Equal([new StartTailing(1, 5, term)], h.All.OfType<StartTailing>());
    }

    [Fact]
    public void A_tail_whose_node_later_reports_an_unfinished_resync_is_restarted()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        h.SetStatus(1, term, OpPosition.Zero, DistributedSync.Replication.Metadata.ReplicationState.Resyncing);
        Assert.DoesNotContain(h.Answer(1), c => c is StopTailing); // could be a heartbeat read before the tail started
        h.Tick(150);
        var commands = h.Answer(1);
        Assert.Equal([new StopTailing(1), new StartTailing(1, 3, term)], commands.Where(c => c is StopTailing or StartTailing));
    }

    [Fact]
    public void A_task_that_gives_up_is_restarted()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var again = h.Feed(new SyncTaskEnded(2, term, SyncTaskKind.Tailing, false));
        Assert.Contains(new StartTailing(2, 3, term), again);
    }
}
