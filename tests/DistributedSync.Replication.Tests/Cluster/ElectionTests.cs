using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Cluster;

public sealed class ElectionTests
{
    [Fact]
    public void With_everyone_equal_the_highest_Id_is_elected_in_the_next_term_on_a_majority()
    {
        var h = new DeciderHarness();
        foreach (var id in new[] { 1, 2, 3 })
        {
            h.SetStatus(id, 4, new(4, 20));
        }

        h.Tick();
        var commands = h.Answer(3, 2, 1);
        var writes = commands.OfType<WriteTerm>().ToList();
        Assert.Equal([1, 2, 3], writes.Select(w => w.NodeId));
        Assert.All(writes, w => Assert.Equal((5L, 3), (w.Term, w.MasterId)));

        Assert.Empty(h.AckTerm(1).OfType<PromoteNode>());
        var promote = Assert.Single(h.AckTerm(3).OfType<PromoteNode>());
        Assert.Equal((3, 5L), (promote.NodeId, promote.Term));

        var serving = h.CompletePromotion();
        Assert.Equal(3, h.View.MasterId);
        Assert.Equal([1, 2], serving.OfType<StartTailing>().Select(t => t.NodeId).Order());
        Assert.All(serving.OfType<StartTailing>(), t => Assert.Equal((3, 5L), (t.MasterId, t.Term)));
    }

    [Fact]
    public void A_majority_without_the_candidate_does_not_promote()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3, 2, 1);
        h.AckTerm(1, 2);
        Assert.IsType<ElectingPhase>(h.View.Phase);
    }

    [Fact]
    public void The_first_election_waits_one_heartbeat_interval_for_every_node_to_answer()
    {
        var h = new DeciderHarness();
        h.Tick();
        Assert.Empty(h.Answer(1, 2).OfType<WriteTerm>());
        Assert.Empty(h.Tick(99).OfType<WriteTerm>());
        var writes = h.Tick(1).OfType<WriteTerm>().ToList();
        Assert.All(writes, w => Assert.Equal(2, w.MasterId));
    }

    [Fact]
    public void Without_a_majority_nobody_is_elected_and_writes_are_refused_at_once()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3);
        Assert.Empty(h.Tick(200).OfType<WriteTerm>());
        var fail = Assert.Single(h.Feed(new WriteRequested(1, WriteConcern.Master(TimeSpan.FromSeconds(1)))).OfType<FailWrites>());
        Assert.Equal(WriteFailureReason.NoMaster, fail.Reason);
        Assert.False(fail.MayHaveBeenApplied);
    }

    [Fact]
    public void A_behind_highest_node_first_catches_up_from_the_most_up_to_date_node()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 4, new(4, 30));
        h.SetStatus(2, 4, new(4, 25));
        h.SetStatus(3, 4, new(4, 20));
        h.Tick();
        var catchUp = Assert.Single(h.Answer(3, 2, 1).OfType<CatchUpNode>());
        Assert.Equal((3, 1, 4L, new OpPosition(4, 30)), (catchUp.NodeId, catchUp.SourceId, catchUp.Term, catchUp.Goal));
        Assert.Empty(h.All.OfType<WriteTerm>());

        var commands = h.Progress(3, new(4, 30));
        Assert.Contains(new StopTailing(3), commands);
        Assert.All(commands.OfType<WriteTerm>(), w => Assert.Equal((5L, 3), (w.Term, w.MasterId)));
        Assert.Equal(3, commands.OfType<WriteTerm>().Count());
    }

    [Fact]
    public void A_catch_up_that_does_not_finish_in_time_gives_way_to_the_next_node()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 4, new(4, 30));
        h.SetStatus(2, 4, new(4, 25));
        h.SetStatus(3, 4, new(4, 20));
        h.Tick();
        h.Answer(3, 2, 1);
        for (var t = 0; t < 10; t++)
        {
            h.Tick(100);
            h.Answer(1, 2, 3);
        }

        Assert.True(h.View.Node(3).CatchUpBlockedUntil > h.Clock.GetUtcNow());
        Assert.Contains(new StopTailing(3), h.All);
        var next = h.All.OfType<CatchUpNode>().Last();
        Assert.Equal((2, 1), (next.NodeId, next.SourceId));
    }

    [Fact]
    public void A_node_at_the_best_position_with_an_older_term_only_has_its_term_raised()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 5, new(4, 30));
        h.SetStatus(2, 5, new(4, 30));
        h.SetStatus(3, 4, new(4, 30));
        h.Tick();
        var catchUp = Assert.Single(h.Answer(3, 2, 1).OfType<CatchUpNode>());
        Assert.Equal((3, 2, 5L), (catchUp.NodeId, catchUp.SourceId, catchUp.Term));
    }

    [Fact]
    public void A_catch_up_that_diverges_is_abandoned_instead_of_rolling_the_node_back()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 4, new(4, 30));
        h.SetStatus(2, 4, new(4, 30));
        h.SetStatus(3, 4, new(3, 31));
        h.Tick();
        h.Answer(3, 2, 1);
        var commands = h.Feed(new ReplicationDiverged(3, 4, DistributedSync.Replication.Sync.SyncAction.Rollback, new(1, 5)));
        Assert.Empty(commands.OfType<StartRollback>());
        Assert.Contains(new StopTailing(3), commands);
        Assert.All(commands.OfType<WriteTerm>(), w => Assert.Equal(2, w.MasterId));
    }

    [Fact]
    public void A_voter_with_a_more_recent_log_than_the_candidate_makes_the_election_fail()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3, 2, 1);
        h.SetStatus(1, 0, new(4, 9)); // the heartbeats were stale: node 1 holds more
        h.AckTerm(3, 1);
        Assert.IsNotType<PromotingPhase>(h.View.Phase);
        Assert.Empty(h.All.OfType<PromoteNode>());
        Assert.Equal(new OpPosition(4, 9), h.View.Node(1).Status!.LastPosition);
    }

    [Fact]
    public void A_candidate_that_acknowledges_while_not_consistent_is_not_promoted()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3, 2, 1);
        h.SetStatus(3, 0, OpPosition.Zero, ReplicationState.RollingBack);
        h.AckTerm(3, 2);
        Assert.Empty(h.All.OfType<PromoteNode>());
    }

    [Fact]
    public void A_higher_stored_term_in_a_refusal_aborts_the_election_and_the_next_uses_a_higher_term()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3, 2, 1);
        var commands = h.Feed(new TermWriteCompleted(2, 1, 3, false, 8, new(8, 3), ReplicationState.Consistent));
        Assert.All(commands.OfType<WriteTerm>(), w => Assert.Equal(9, w.Term));
        Assert.NotEmpty(commands.OfType<WriteTerm>());
    }

    [Fact]
    public void An_election_without_a_majority_in_time_is_retried_with_a_new_term()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3, 2, 1);
        h.AckTerm(3);
        var retry = h.Tick(400).OfType<WriteTerm>().ToList();
        Assert.All(retry, w => Assert.Equal(2, w.Term));
        Assert.Equal(3, retry.Count);
    }

    [Fact]
    public void A_recovering_node_is_never_elected_and_without_a_consistent_source_nobody_is()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 3, new(3, 10));
        h.SetStatus(2, 3, new(3, 12), ReplicationState.Recovering);
        h.SetStatus(3, 3, new(3, 11));
        h.Tick();
        h.Answer(3, 2, 1);
        h.Tick(100);
        Assert.Empty(h.All.OfType<WriteTerm>());
        Assert.DoesNotContain(h.All.OfType<CatchUpNode>(), c => c.SourceId == 2);
    }

    [Fact]
    public void A_resyncing_node_still_votes_with_the_position_it_held_so_a_shorter_history_is_not_elected()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 3, new(3, 10));
        h.SetStatus(2, 3, new(3, 15), ReplicationState.Resyncing); // heldUpTo reported as its last
        h.SetStatus(3, 3, new(3, 10));
        h.Tick();
        h.Answer(3, 2, 1);
        h.Tick(100);
        Assert.Empty(h.All.OfType<WriteTerm>());
    }

    [Fact]
    public void A_stale_promotion_answer_demotes_that_node()
    {
        var h = new DeciderHarness();
        h.Tick();
        var commands = h.Feed(new PromotionCompleted(2, 7, new(6, 3), new(7, 4)));
        Assert.Contains(new DemoteNode(2, 7, DemotionReason.Superseded), commands);
    }

    [Fact]
    public void A_promotion_that_keeps_failing_is_abandoned_after_the_election_timeout()
    {
        var h = new DeciderHarness();
        h.Tick();
        h.Answer(3, 2, 1);
        h.AckTerm(3, 2);
        h.Feed(new PromotionFailed(3, 1, null));
        Assert.Single(h.Tick(100).OfType<PromoteNode>());
        h.Answer(1, 2, 3);
        Assert.Contains(h.Tick(300), c => c is DemoteNode { NodeId: 3, Term: 1 });
    }
}
