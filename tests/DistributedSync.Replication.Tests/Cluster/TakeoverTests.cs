using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Cluster;

public sealed class TakeoverTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>Node 2 is master; node 3 is down; returns the term.</summary>
    private static long MasterTwoWithoutThree(DeciderHarness h)
    {
        h.Tick();
        h.Answer(2, 1);
        h.Tick(100);
        var el = Assert.IsType<ElectingPhase>(h.View.Phase);
        Assert.Equal(2, el.CandidateId);
        h.AckTerm(2, 1);
        h.CompletePromotion();
        return el.Term;
    }

    /// <summary>Time passes with nodes 1 and 2 answering, so node 3 is marked down.</summary>
    private static void WaitUntilThreeIsDown(DeciderHarness h)
    {
        for (var i = 0; i < 6; i++)
        {
            h.Tick(100);
            h.Answer(1, 2);
        }

        Assert.Equal(NodeHealth.Down, h.View.Node(3).Health);
    }

    private static void BringBack(DeciderHarness h, int node, int heartbeats)
    {
        for (var i = 0; i < heartbeats; i++)
        {
            h.Answer(1, 2, node);
        }
    }

    [Fact]
    public void A_returning_higher_node_takes_over_only_when_healthy_and_caught_up_and_no_write_is_lost()
    {
        var h = new DeciderHarness();
        var term = MasterTwoWithoutThree(h);
        var b = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(Long))).OfType<AppendBatch>().Single();
        h.Feed(new BatchCompleted(2, term, b.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        WaitUntilThreeIsDown(h);
        BringBack(h, 3, 2);
        Assert.DoesNotContain(h.All, c => c is StartTailing { NodeId: 3 });
        BringBack(h, 3, 1);
        Assert.Equal(NodeHealth.Up, h.View.Node(3).Health);
        Assert.Contains(new StartTailing(3, 2, term), h.All);

        h.Progress(3, new(term, 1)); // one behind, within the lag: handover starts, writes pause
        var handover = Assert.IsType<ServingPhase>(h.View.Phase).Handover;
        Assert.Equal(3, handover!.TargetId);
        Assert.Empty(h.Feed(new WriteRequested(2, WriteConcern.Master(Long))).OfType<AppendBatch>());

        var switchOver = h.Progress(3, new(term, 2));
        Assert.Equal([1L], switchOver.OfType<AcknowledgeWrites>().Single(a => a.Majority).Writes.Select(w => w.RequestId));
        Assert.Equal(new DemoteNode(2, term, DemotionReason.Takeover), switchOver.OfType<DemoteNode>().Single());
        Assert.All(switchOver.OfType<WriteTerm>(), w => Assert.Equal((term + 1, 3), (w.Term, w.MasterId)));
        h.AckTerm(3, 2);
        var promoted = h.CompletePromotion();
        Assert.Empty(promoted.OfType<FailWrites>());
        Assert.Contains(new StartTailing(2, 3, term + 1), promoted);
        Assert.Single(promoted.OfType<AppendBatch>(), a => a.RequestIds.SequenceEqual([2L]));
    }

    [Fact]
    public void Writes_still_waiting_for_the_majority_at_the_switch_are_acknowledged_by_the_new_master()
    {
        var h = new DeciderHarness(5);
        h.Tick();
        h.Answer(4, 3, 2, 1);
        h.Tick(100);
        var el = Assert.IsType<ElectingPhase>(h.View.Phase);
        h.AckTerm(4, 3, 2);
        h.CompletePromotion();
        var term = el.Term;
        for (var i = 0; i < 6; i++)
        {
            h.Tick(100);
            h.Answer(1, 2, 3, 4);
        }

        var b = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(Long))).OfType<AppendBatch>().Single();
        h.Feed(new BatchCompleted(4, term, b.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        for (var i = 0; i < 3; i++)
        {
            h.Answer(1, 2, 3, 4, 5);
        }

        var switchOver = h.Progress(5, new(term, 2)); // master + node 5: not yet a majority of 5
        Assert.DoesNotContain(switchOver, c => c is AcknowledgeWrites);
        Assert.Contains(new DemoteNode(4, term, DemotionReason.Takeover), switchOver);
        h.AckTerm(5, 4, 3);
        Assert.Empty(h.CompletePromotion().OfType<FailWrites>());
        Assert.Single(h.View.Writes, w => w.RequestId == 1 && w.Stage == WriteStage.AwaitingMajority);

        h.Progress(4, new(term + 1, 3));
        var ack = Assert.Single(h.Progress(3, new(term + 1, 3)).OfType<AcknowledgeWrites>());
        Assert.True(ack.Majority);
        Assert.Equal([1L], ack.Writes.Select(w => w.RequestId));
    }

    [Fact]
    public void A_node_that_was_down_needs_K_heartbeats_before_it_can_take_over()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        h.All.Clear();
        for (var i = 0; i < 6; i++)
        {
            h.Tick(100);
            h.Answer(1, 2);
        }

        // Node 3 (the master) was lost; node 2 took over in a new term.
        var el = Assert.IsType<ElectingPhase>(h.View.Phase);
        h.AckTerm(2, 1);
        h.CompletePromotion();
        h.Answer(1, 2, 3);
        Assert.Equal(NodeHealth.Down, h.View.Node(3).Health);
        Assert.DoesNotContain(h.All, c => c is StartTailing { NodeId: 3 });
        h.Answer(1, 2, 3);
        h.Answer(1, 2, 3);
        Assert.Equal(NodeHealth.Up, h.View.Node(3).Health);
        Assert.Contains(new StartTailing(3, 2, el.Term), h.All);
        Assert.True(term < el.Term);
    }

    [Fact]
    public void With_takeover_disabled_the_lower_master_stays()
    {
        var h = new DeciderHarness(3, takeover: false);
        var term = MasterTwoWithoutThree(h);
        WaitUntilThreeIsDown(h);
        BringBack(h, 3, 3);
        h.Progress(3, new(term, 1));
        Assert.Null(Assert.IsType<ServingPhase>(h.View.Phase).Handover);
        Assert.Equal(2, h.View.MasterId);
    }

    [Fact]
    public void A_handover_that_does_not_complete_in_time_is_abandoned_and_writes_resume()
    {
        var h = new DeciderHarness();
        var term = MasterTwoWithoutThree(h);
        var b = h.Feed(new WriteRequested(1, WriteConcern.Master(Long))).OfType<AppendBatch>().Single();
        h.Feed(new BatchCompleted(2, term, b.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        WaitUntilThreeIsDown(h);
        BringBack(h, 3, 3);
        h.Progress(3, new(term, 1));
        Assert.NotNull(Assert.IsType<ServingPhase>(h.View.Phase).Handover);
        h.Feed(new WriteRequested(2, WriteConcern.Master(Long)));
        for (var i = 0; i < 8; i++)
        {
            h.Tick(100);
            h.Answer(1, 2, 3);
        }

        var serving = Assert.IsType<ServingPhase>(h.View.Phase);
        Assert.Null(serving.Handover);
        Assert.Equal(2, serving.MasterId);
        Assert.Contains(h.All, c => c is AppendBatch a && a.RequestIds.Contains(2));
        Assert.True(h.View.TakeoverNotBefore > h.Clock.GetUtcNow());
        h.Progress(3, new(term, 2));
        Assert.Null(Assert.IsType<ServingPhase>(h.View.Phase).Handover); // back-off
    }

    [Fact]
    public void A_node_too_far_behind_does_not_start_a_takeover()
    {
        var h = new DeciderHarness();
        var term = MasterTwoWithoutThree(h);
        var b = h.Feed(new WriteRequested(1, WriteConcern.Master(Long))).OfType<AppendBatch>().Single();
        h.Feed(new BatchCompleted(2, term, b.BatchId, [new WriteResult(1, new(term, 20))], new(term, 20)));
        WaitUntilThreeIsDown(h);
        BringBack(h, 3, 3);
        h.Progress(3, new(term, 10));
        Assert.Null(Assert.IsType<ServingPhase>(h.View.Phase).Handover);
        h.Progress(3, new(term, 15));
        Assert.NotNull(Assert.IsType<ServingPhase>(h.View.Phase).Handover);
    }
}
