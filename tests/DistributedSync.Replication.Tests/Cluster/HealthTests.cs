using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Cluster;

public sealed class HealthTests
{
    [Fact]
    public void Heartbeats_go_to_every_node_each_interval_with_growing_sequence_numbers()
    {
        var h = new DeciderHarness();
        var first = h.Tick().OfType<SendHeartbeat>().ToList();
        Assert.Equal([1, 2, 3], first.Select(c => c.NodeId));
        Assert.All(first, c => Assert.Equal(1, c.Sequence));
        Assert.Empty(h.Tick(50).OfType<SendHeartbeat>());
        var second = h.Tick(50).OfType<SendHeartbeat>().ToList();
        Assert.All(second, c => Assert.Equal(2, c.Sequence));
    }

    [Fact]
    public void First_answer_marks_a_node_up_and_silence_for_the_failure_timeout_marks_it_down()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(1);
        Assert.Equal(NodeHealth.Up, h.View.Node(1).Health);
        Assert.Equal(NodeHealth.Unknown, h.View.Node(2).Health);

        h.Tick(499);
        Assert.Equal(NodeHealth.Up, h.View.Node(1).Health);
        h.Tick(1);
        Assert.Equal(NodeHealth.Down, h.View.Node(1).Health);
        Assert.Equal(NodeHealth.Down, h.View.Node(2).Health);
    }

    [Fact]
    public void A_failed_heartbeat_alone_does_not_mark_an_up_node_down()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(1);
        h.Fail(1);
        h.Fail(1);
        Assert.Equal(NodeHealth.Up, h.View.Node(1).Health);
    }

    [Fact]
    public void A_refused_connection_marks_the_node_down_at_once_and_a_master_lost_that_way_is_replaced()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        Assert.Equal(3, h.View.MasterId);

        var commands = h.Feed(new HeartbeatFailed(3, h.View.Node(3).LastSequenceSeen + 1, Refused: true));

        Assert.Equal(NodeHealth.Down, h.View.Node(3).Health);
        Assert.Equal(NodeHealth.Up, h.View.Node(2).Health);
        var elect = h.Tick().Concat(commands).OfType<WriteTerm>().ToList();
        Assert.NotEmpty(elect);
        Assert.All(elect, w => Assert.True(w.Term > term && w.MasterId == 2, $"expected node 2 to run for a term above {term}: {w}"));
    }

    [Fact]
    public void A_refused_connection_to_a_down_node_changes_nothing_and_it_still_needs_K_good_heartbeats()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(1, 2, 3);
        h.Feed(new HeartbeatFailed(1, h.View.Node(1).LastSequenceSeen + 1, Refused: true));
        h.Feed(new HeartbeatFailed(1, h.View.Node(1).LastSequenceSeen + 1, Refused: true));
        Assert.Equal(NodeHealth.Down, h.View.Node(1).Health);

        h.Answer(1);
        Assert.Equal(NodeHealth.Down, h.View.Node(1).Health);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_down_node_is_up_again_only_after_K_consecutive_good_heartbeats(int k)
    {
        var h = new DeciderHarness(DeciderHarness.Options(3) with { RecoveryHeartbeats = k });
        h.Tick();
        h.Answer(1);
        h.Tick(600);
        Assert.Equal(NodeHealth.Down, h.View.Node(1).Health);

        for (var i = 1; i < k; i++)
        {
            h.Answer(1);
            Assert.Equal(NodeHealth.Down, h.View.Node(1).Health);
        }

        h.Answer(1);
        Assert.Equal(NodeHealth.Up, h.View.Node(1).Health);
    }

    [Fact]
    public void A_failure_or_a_gap_in_sequence_numbers_restarts_the_count()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(1);
        h.Tick(600);
        h.Answer(1);
        h.Answer(1);
        h.Fail(1);
        h.Answer(1);
        h.Answer(1);
        Assert.Equal(NodeHealth.Down, h.View.Node(1).Health);

        var skipped = h.View.Node(1).LastSequenceSeen + 2; // one answer never came
        h.Feed(new HeartbeatSucceeded(1, skipped, h.StatusOf(1)));
        Assert.Equal(1, h.View.Node(1).GoodStreak);
        h.Answer(1);
        h.Answer(1);
        Assert.Equal(NodeHealth.Up, h.View.Node(1).Health);
    }

    [Fact]
    public void An_answer_older_than_one_already_seen_is_ignored()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Feed(new HeartbeatSucceeded(1, 5, h.StatusOf(1) with { Term = 7 }));
        h.Feed(new HeartbeatSucceeded(1, 4, h.StatusOf(1) with { Term = 3 }));
        Assert.Equal(7, h.View.Node(1).Status!.Term);
        Assert.Equal(5, h.View.Node(1).LastSequenceSeen);
    }

    [Fact]
    public void The_highest_term_any_node_reports_is_remembered()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.SetStatus(2, 9, new(9, 40));
        h.Answer(2);
        Assert.Equal(9, h.View.HighestTerm);
        h.Feed(new HigherTermObserved(1, 12));
        Assert.Equal(12, h.View.HighestTerm);
    }

    [Fact]
    public void Unknown_node_ids_are_ignored()
    {
        var h = new DeciderHarness();
        h.Tick();
        var before = h.View;
        h.Feed(new HeartbeatSucceeded(42, 1, h.StatusOf(1)));
        Assert.Equal(before.Nodes, h.View.Nodes);
    }
}
